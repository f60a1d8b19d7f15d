"""Peer figures: medians and quartiles worked out by hand, polarity, the groups of
comparable areas and the rule that a figure from fewer than 3 other areas is not shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Area
from ambition import selectors, stats
from tests.ambition.conftest import area_with_target, neighbours
from tests.factories import UserFactory

D = Decimal


def test_inclusive_quartiles_of_an_even_and_an_odd_count():
    # Four values: positions 0.75, 1.5 and 2.25 between 1, 2, 3 and 4.
    summary = stats.summarise([D(4), D(1), D(3), D(2)])
    assert (summary.minimum, summary.lower_quartile, summary.median) == (D(1), D("1.75"), D("2.5"))
    assert (summary.upper_quartile, summary.maximum) == (D("3.25"), D(4))
    # Five values: positions 1, 2 and 3 fall on values.
    summary = stats.summarise([D(8), D(1), D(6), D(2), D(4)])
    assert (summary.lower_quartile, summary.median, summary.upper_quartile) == (D(2), D(4), D(6))
    assert stats.summarise([]) is None


@pytest.mark.django_db
def test_figures_for_a_higher_is_better_indicator_worked_by_hand(test_round, go_north):
    # NI 151, overall employment rate: higher is better. Improvements 2, 4, 1, 6 and 8.
    for baseline, end in ((10, 12), (10, 14), (20, 21), (5, 11), (8, 16)):
        area_with_target(test_round, "NI 151", baseline, end, government_office=go_north)
    mine = area_with_target(test_round, "NI 151", 10, 11, stage="drafting")
    coordinator = UserFactory(coordinator=True, area=mine.agreement.area)

    figures = selectors.target_figures(coordinator, mine)

    assert figures.polarity == "higher" and figures.word == "improvement"
    assert figures.change == D(1) and figures.per_year == D(1) / 3
    national = figures.national
    assert national.chose == 5 and (national.designated, national.local) == (5, 0)
    assert [value for _, value in national.peers] == [D(1), D(2), D(4), D(6), D(8)]
    change = national.change
    assert (change.minimum, change.lower_quartile, change.median) == (D(1), D(2), D(4))
    assert (change.upper_quartile, change.maximum) == (D(6), D(8))
    baseline = national.baseline
    # Baselines 5, 8, 10, 10, 20.
    assert (baseline.lower_quartile, baseline.median, baseline.upper_quartile) == (
        D(8),
        D(10),
        D(10),
    )
    assert national.per_year.median == D(4) / 3
    assert national.position.quartile == 1
    assert (national.position.bigger, national.position.smaller) == (4, 0)
    assert national.sentence == "A smaller improvement than 4 in 5 comparable areas."
    assert figures.is_bottom_quartile
    assert national.chart is not None and len(national.chart.dots) == 5
    assert national.chart.marked_x == national.chart.dots[0].x  # the same as the lowest


@pytest.mark.django_db
def test_lower_is_better_turns_a_fall_into_an_improvement(test_round):
    # NI 117, young people not in education, employment or training: lower is better.
    for baseline, end in ((10, 8), (10, 9), (12, 9)):
        area_with_target(test_round, "NI 117", baseline, end)
    rising = area_with_target(test_round, "NI 117", 10, 11, stage="drafting")
    falling = area_with_target(test_round, "NI 117", 10, 6, stage="drafting")
    admin = UserFactory(admin=True)

    worse = selectors.target_figures(admin, rising)
    assert worse.polarity == "lower"
    assert worse.change == D(-1)
    assert [value for _, value in worse.national.peers] == [D(1), D(2), D(3)]
    assert worse.national.position.quartile == 1
    assert worse.national.sentence == "A smaller improvement than 3 in 3 comparable areas."

    better = selectors.target_figures(admin, falling)
    assert better.change == D(4)
    assert better.national.position.quartile == 4
    assert better.national.sentence == "A bigger improvement than 3 in 3 comparable areas."
    assert not better.is_bottom_quartile


@pytest.mark.django_db
def test_an_indicator_without_a_polarity_compares_increases(test_round):
    # NI 7 (environment for a thriving third sector) has no recorded polarity.
    for baseline, end in ((1, 2), (1, 3), (1, 4)):
        area_with_target(test_round, "NI 7", baseline, end)
    mine = area_with_target(test_round, "NI 7", 1, 5, stage="drafting")
    figures = selectors.target_figures(UserFactory(admin=True), mine)
    assert figures.polarity == "" and figures.word == "increase"
    assert figures.national.sentence == "A bigger increase than 3 in 3 comparable areas."


@pytest.mark.django_db
def test_fewer_than_three_other_areas_are_not_shown(test_round, go_north, go_south):
    area_with_target(test_round, "NI 151", 10, 12, government_office=go_north)
    area_with_target(test_round, "NI 151", 10, 13, government_office=go_north)
    area_with_target(test_round, "NI 151", 10, 14, government_office=go_south)
    # A signed target without a final year's value counts as a choice, not as a figure.
    area_with_target(test_round, "NI 151", 10, None, government_office=go_south)
    mine = area_with_target(
        test_round, "NI 151", 10, 11, stage="drafting", government_office=go_north
    )
    figures = selectors.target_figures(UserFactory(admin=True), mine)
    national, same_go = figures.groups[0], figures.groups[1]
    assert national.chose == 4 and national.shown and national.change.count == 3
    assert same_go.chose == 2 and not same_go.chose_shown
    assert not same_go.shown
    assert same_go.change is None and same_go.chart is None and same_go.sentence == ""


@pytest.mark.django_db
def test_groups_by_government_office_tier_and_statistical_neighbours(
    test_round, go_north, go_south
):
    county = Area.Tier.COUNTY
    north = [
        area_with_target(test_round, "NI 151", 10, 10 + n, government_office=go_north)
        for n in (1, 2, 3)
    ]
    counties = [
        area_with_target(test_round, "NI 151", 10, 10 + n, government_office=go_south, tier=county)
        for n in (4, 5, 6)
    ]
    local = area_with_target(test_round, "NI 151", 10, 17, government_office=go_south, kind="local")
    mine = area_with_target(
        test_round, "NI 151", 10, 12, stage="drafting", government_office=go_north, tier=county
    )
    neighbours(
        mine.agreement.area,
        north[0].agreement.area,
        counties[0].agreement.area,
        local.agreement.area,
    )
    figures = selectors.target_figures(UserFactory(admin=True), mine)
    by_key = {group.group.key: group for group in figures.groups}
    assert by_key["national"].chose == 7
    assert (by_key["national"].designated, by_key["national"].local) == (6, 1)
    assert [v for _, v in by_key["government_office"].peers] == [D(1), D(2), D(3)]
    assert [v for _, v in by_key["tier"].peers] == [D(4), D(5), D(6)]
    assert [v for _, v in by_key["neighbours"].peers] == [D(1), D(4), D(7)]
    assert by_key["government_office"].sentence == (
        "In the middle: a bigger improvement than 1 and a smaller one than 1 of 3 comparable areas."
    )
    assert by_key["tier"].sentence == "A smaller improvement than 3 in 3 comparable areas."
    assert figures.neighbours_source == "a test list"
