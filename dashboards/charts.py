"""Chart geometry for server-drawn SVG: positions, sizes and labels only.

Templates draw the shapes (`templates/dashboards/_bar_chart.html`,
`_stacked_chart.html`), so the same charts appear on the page without JavaScript and in
the PDF. Colours come from the GOV.UK palette, each with at least 3:1 contrast against
the white page; the series of a stacked chart also differ by pattern, and every bar
carries its figure as text, so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 720
ROW_HEIGHT = 28
BAR_HEIGHT = 20
TOP = 8
FONT_SIZE = 14
CHAR_WIDTH = 7.4  # a generous average for 14px Arial, to size the label column
VALUE_SPACE = 48  # room after the longest bar for its figure
BLUE = "#1d70b8"
TEXT = "#0b0c0c"
WHITE = "#ffffff"
BLACK = "#0b0c0c"


@dataclass(frozen=True)
class Pattern:
    """A fill: a colour, and lines or dots over it in a contrasting ink."""

    id: str
    colour: str
    ink: str
    lines: tuple[tuple[float, float, float, float], ...] = ()
    dots: tuple[tuple[float, float], ...] = ()

    @property
    def fill(self) -> str:
        return f"url(#{self.id})"


# Series styles: a colour with a readable ink and a pattern of its own.
_D = ((0, 8, 8, 0), (-2, 2, 2, -2), (6, 10, 10, 6))
_R = ((0, 0, 8, 8), (6, -2, 10, 2), (-2, 6, 2, 10))
_H = ((0, 4, 8, 4),)
_V = ((4, 0, 4, 8),)
STYLES: tuple[tuple[str, str, tuple, tuple], ...] = (
    ("#505a5f", WHITE, (), ()),  # dark grey, plain
    ("#5694ca", BLACK, _D, ()),  # light blue, diagonal
    ("#1d70b8", WHITE, (), ((4, 4),)),  # blue, dots
    ("#912b88", WHITE, _H, ()),  # purple, horizontal lines
    ("#d4351c", WHITE, _R, ()),  # red, reverse diagonal
    ("#28a197", BLACK, _V, ()),  # turquoise, vertical lines
    ("#b58840", BLACK, _D + _R, ()),  # brown, cross-hatch
    ("#00703c", WHITE, _H + _V, ()),  # green, grid
)


def series_patterns(chart_id: str, count: int) -> list[Pattern]:
    styles = [STYLES[i % len(STYLES)] for i in range(count)]
    return [
        Pattern(f"{chart_id}-p{i}", colour, ink, lines, dots)
        for i, (colour, ink, lines, dots) in enumerate(styles)
    ]


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str
    label: str  # what the segment counts, for its tooltip


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    y: float
    bar_y: float
    text_y: float
    width: float
    bar_x: float
    segments: tuple[Segment, ...] = ()

    @property
    def value_x(self) -> float:
        return self.bar_x + self.width + 6


@dataclass(frozen=True)
class LegendItem:
    label: str
    x: float
    y: float
    fill: str
    text_x: float
    text_y: float


@dataclass
class Chart:
    id: str
    title: str
    description: str
    width: int
    height: int
    label_x: float
    bar_x: float
    rows: list[Row]
    patterns: list[Pattern] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    colour: str = BLUE
    font_size: int = FONT_SIZE
    text: str = TEXT

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def axis_bottom(self) -> float:
        return self.rows[-1].y + ROW_HEIGHT if self.rows else TOP


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _layout(labels: list[str], label_limit: int) -> tuple[list[str], float, float]:
    labels = [shorten(label, label_limit) for label in labels]
    label_width = min(label_limit, max((len(label) for label in labels), default=4)) * CHAR_WIDTH
    label_x = label_width + 8  # text ends here (anchored at its end)
    return labels, label_x, label_x + 8


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: list[tuple[str, int]],
    label_limit: int = 40,
) -> Chart:
    """One horizontal bar per item, its figure at the end of the bar."""
    labels, label_x, bar_x = _layout([label for label, _ in items], label_limit)
    span = WIDTH - bar_x - VALUE_SPACE
    top = max((value for _, value in items), default=0) or 1
    rows = []
    for i, (label, (_, value)) in enumerate(zip(labels, items, strict=True)):
        y = TOP + i * ROW_HEIGHT
        rows.append(
            Row(
                label=label,
                value=value,
                y=y,
                bar_y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                text_y=y + ROW_HEIGHT / 2 + FONT_SIZE * 0.35,
                width=round(span * value / top, 1),
                bar_x=bar_x,
            )
        )
    height = TOP + len(rows) * ROW_HEIGHT + TOP
    return Chart(chart_id, title, description, WIDTH, height, label_x, bar_x, rows)


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[str],
    items: list[tuple[str, list[int]]],
    label_limit: int = 32,
) -> Chart:
    """One horizontal bar per item split into its series, with a legend underneath that
    shows each series' colour and pattern; the bar's total is written at its end."""
    labels, label_x, bar_x = _layout([label for label, _ in items], label_limit)
    patterns = series_patterns(chart_id, len(series))
    span = WIDTH - bar_x - VALUE_SPACE
    top = max((sum(values) for _, values in items), default=0) or 1
    rows = []
    for i, (label, (_, values)) in enumerate(zip(labels, items, strict=True)):
        y = TOP + i * ROW_HEIGHT
        x = bar_x
        segments = []
        for name, pattern, value in zip(series, patterns, values, strict=True):
            if not value:
                continue
            width = round(span * value / top, 1)
            segments.append(Segment(x, width, pattern.fill, f"{name}: {value}"))
            x += width
        rows.append(
            Row(
                label=label,
                value=sum(values),
                y=y,
                bar_y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                text_y=y + ROW_HEIGHT / 2 + FONT_SIZE * 0.35,
                width=round(x - bar_x, 1),
                segments=tuple(segments),
                bar_x=bar_x,
            )
        )
    # The legend: two columns under the bars.
    legend_top = TOP + len(rows) * ROW_HEIGHT + 16
    column = WIDTH / 2
    legend = []
    for i, (name, pattern) in enumerate(zip(series, patterns, strict=True)):
        x = (i % 2) * column + 8
        y = legend_top + (i // 2) * 24
        legend.append(LegendItem(name, x, y, pattern.fill, x + 26, y + 13))
    height = legend_top + ((len(series) + 1) // 2) * 24 + 8
    return Chart(
        chart_id, title, description, WIDTH, height, label_x, bar_x, rows, patterns, legend
    )


def dashboard_charts(figures) -> dict[str, Chart]:
    """The dashboard's three charts, each paired on the page with the table of its data."""
    scope = figures.scope.name
    stage_names = [label for _, label in figures.stages]
    return {
        "stages": stacked_bar_chart(
            chart_id="chart-stages",
            title=f"Agreements by stage and Government Office, {figures.round.name}",
            description=(
                "One bar per Government Office, split by the stage its agreements are at; "
                "the figure after each bar is the number of agreements opened."
            ),
            series=stage_names,
            items=[
                (row.government_office.name, row.counts) for row in figures.by_government_office
            ],
        ),
        "outcomes": bar_chart(
            chart_id="chart-outcomes",
            title=f"Freedoms and flexibilities requests by outcome, {scope}",
            description="Answered requests, one bar per outcome.",
            items=figures.requests_by_outcome,
        ),
        "indicators": bar_chart(
            chart_id="chart-indicators",
            title=f"Most chosen indicators, {scope}",
            description="Designated targets: how many areas chose each indicator.",
            items=[(f"{i.code} {i.title}", i.areas) for i in figures.popular_indicators],
        ),
    }
