"""A strip of peers' improvements with one proposal marked, drawn on the server as SVG.

Like the dashboard charts (`dashboards/charts.py`) this computes geometry only; the
template `templates/ambition/_strip.html` draws it, so it needs no JavaScript and prints in
the PDF. Each peer is a dot, the middle half of peers a shaded band with the median as a
line, and the proposal a black diamond with its label: nothing is told by colour alone, and
the table beside the chart gives every figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ambition.stats import quantile

WIDTH = 640
HEIGHT = 96
LEFT = 16
RIGHT = 16
AXIS_Y = 56
BLUE = "#1d70b8"
BAND = "#d2e2f1"
TEXT = "#0b0c0c"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class StripChart:
    id: str
    title: str
    description: str
    dots: list[Dot]
    band_x: float
    band_width: float
    median_x: float
    marked_x: float | None
    marked_points: str
    marked_label_x: float
    marked_anchor: str
    minimum_label: str
    maximum_label: str
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = AXIS_Y
    left: int = LEFT
    right_x: int = WIDTH - RIGHT
    blue: str = BLUE
    band: str = BAND
    text: str = TEXT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


def _quartiles(ordered: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    return (
        quantile(ordered, Decimal("0.25")),
        quantile(ordered, Decimal("0.5")),
        quantile(ordered, Decimal("0.75")),
    )


def strip_chart(
    *,
    chart_id: str,
    title: str,
    values: list[Decimal],
    marked: Decimal | None,
    label: Callable[[Decimal], str],
) -> StripChart:
    ordered = sorted(values)
    every = ordered + ([marked] if marked is not None else [])
    low, high = min(every), max(every)
    span = high - low
    inner = WIDTH - LEFT - RIGHT

    def x(value: Decimal) -> float:
        if span == 0:
            return LEFT + inner / 2
        return round(LEFT + float((value - low) / span) * inner, 1)

    # Peers with the same value stack upwards, so each one stays visible.
    stacked: dict[float, int] = {}
    dots = []
    for value in ordered:
        position = x(value)
        level = stacked.get(position, 0)
        stacked[position] = level + 1
        dots.append(Dot(position, AXIS_Y - 8 - 7 * min(level, 5)))
    q1, median, q3 = _quartiles(ordered)
    marked_x = x(marked) if marked is not None else None
    points = ""
    label_x, anchor = 0.0, "middle"
    if marked_x is not None:
        y = AXIS_Y + 12
        points = f"{marked_x},{y - 8} {marked_x + 7},{y} {marked_x},{y + 8} {marked_x - 7},{y}"
        label_x = marked_x
        anchor = (
            "start" if marked_x < WIDTH / 3 else ("end" if marked_x > 2 * WIDTH / 3 else "middle")
        )
    description = (
        f"{len(ordered)} areas, from {label(ordered[0])} to {label(ordered[-1])}; "
        f"median {label(median)}, middle half from {label(q1)} to {label(q3)}."
    )
    if marked is not None:
        description += f" This proposal: {label(marked)}."
    return StripChart(
        id=chart_id,
        title=title,
        description=description,
        dots=dots,
        band_x=x(q1),
        band_width=round(x(q3) - x(q1), 1),
        median_x=x(median),
        marked_x=marked_x,
        marked_points=points,
        marked_label_x=label_x,
        marked_anchor=anchor,
        minimum_label=label(low),
        maximum_label=label(high),
    )
