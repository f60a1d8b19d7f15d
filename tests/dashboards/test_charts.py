"""Chart geometry: bars in proportion, figures as text, a legend and a pattern per series."""

import pytest

from dashboards.charts import STYLES, bar_chart, shorten, stacked_bar_chart


def test_bars_are_in_proportion_and_carry_their_figures():
    chart = bar_chart(
        chart_id="c", title="T", description="D", items=[("A", 10), ("B", 5), ("C", 0)]
    )
    a, b, c = chart.rows
    assert a.width == 2 * b.width and c.width == 0
    assert [row.value for row in chart.rows] == [10, 5, 0]
    assert a.bar_x == chart.bar_x > chart.label_x
    assert a.value_x > a.bar_x + a.width
    assert a.width + chart.bar_x <= chart.width
    assert b.y > a.y and chart.height > c.y


def test_an_empty_chart_has_no_bars():
    chart = bar_chart(chart_id="c", title="T", description="D", items=[])
    assert chart.rows == [] and chart.height > 0


def test_long_labels_are_shortened():
    assert shorten("x" * 50, 40) == "x" * 39 + "…"
    chart = bar_chart(chart_id="c", title="T", description="D", items=[("y" * 80, 1)])
    assert len(chart.rows[0].label) == 40


def test_stacked_bars_split_by_series_with_a_legend_and_patterns():
    chart = stacked_bar_chart(
        chart_id="s",
        title="T",
        description="D",
        series=["One", "Two", "Three"],
        items=[("North", [2, 0, 2]), ("South", [1, 1, 0])],
    )
    north, south = chart.rows
    assert north.value == 4 and south.value == 2
    assert [s.label for s in north.segments] == ["One: 2", "Three: 2"]  # no empty segments
    assert north.segments[1].x == north.segments[0].x + north.segments[0].width
    assert north.width == pytest.approx(2 * south.width, abs=0.5)
    assert [item.label for item in chart.legend] == ["One", "Two", "Three"]
    assert len({p.id for p in chart.patterns}) == 3
    assert north.segments[0].fill == chart.legend[0].fill == "url(#s-p0)"
    # Styles differ by pattern as well as colour.
    shapes = {(lines, dots) for _, _, lines, dots in STYLES}
    assert len(shapes) == len(STYLES)
    assert chart.height > chart.legend[-1].y
