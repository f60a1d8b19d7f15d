"""Distributions of peers' figures: median, quartiles and where one value sits among them.

Quartiles are the inclusive kind (linear interpolation between the closest ranks, as a
spreadsheet's QUARTILE.INC and `statistics.quantiles(method="inclusive")`), so a reader can
work them out by hand from the table beside each figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# A figure drawn from fewer than this many other areas is not shown.
MINIMUM_AREAS = 3


def quantile(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    """The inclusive quantile of sorted values: position (n - 1) × fraction, interpolated."""
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    below = int(position)
    if below + 1 >= len(ordered):
        return ordered[-1]
    weight = position - below
    return ordered[below] + (ordered[below + 1] - ordered[below]) * weight


@dataclass(frozen=True)
class Summary:
    count: int
    minimum: Decimal
    lower_quartile: Decimal
    median: Decimal
    upper_quartile: Decimal
    maximum: Decimal


def summarise(values: list[Decimal]) -> Summary | None:
    if not values:
        return None
    ordered = sorted(values)
    return Summary(
        count=len(ordered),
        minimum=ordered[0],
        lower_quartile=quantile(ordered, Decimal("0.25")),
        median=quantile(ordered, Decimal("0.5")),
        upper_quartile=quantile(ordered, Decimal("0.75")),
        maximum=ordered[-1],
    )


@dataclass(frozen=True)
class Position:
    """Where one improvement sits among peers' improvements (bigger is better)."""

    quartile: int  # 1 = the bottom quarter (the least improvement) … 4 = the top
    bigger: int  # peers proposing a bigger improvement
    smaller: int  # peers proposing a smaller one
    count: int

    @property
    def is_bottom_quartile(self) -> bool:
        return self.quartile == 1


def position(value: Decimal, summary: Summary, values: list[Decimal]) -> Position:
    if value < summary.lower_quartile:
        quartile = 1
    elif value < summary.median:
        quartile = 2
    elif value < summary.upper_quartile:
        quartile = 3
    else:
        quartile = 4
    return Position(
        quartile=quartile,
        bigger=sum(1 for other in values if other > value),
        smaller=sum(1 for other in values if other < value),
        count=len(values),
    )
