"""On track, off track or no data: the one rule every page uses."""

from decimal import Decimal

import pytest

from performance.selectors import Track, is_reviewed, track_status

VALUES = ["100", "90", None]


@pytest.mark.parametrize(
    ("outturn", "year", "polarity", "indicator_polarity", "expected"),
    [
        # Higher is better: meeting or beating the trajectory is on track.
        ("101", 0, "higher", "", Track.ON),
        ("100", 0, "higher", "", Track.ON),
        ("99.9", 0, "higher", "", Track.OFF),
        # Lower is better.
        ("89", 1, "lower", "", Track.ON),
        ("90.0", 1, "lower", "", Track.ON),
        ("90.01", 1, "lower", "", Track.OFF),
        # The target's own polarity first, then its indicator's, then higher is better.
        ("89", 1, "", "lower", Track.ON),
        ("91", 1, "higher", "lower", Track.ON),
        ("91", 1, "", "", Track.ON),
        ("89", 1, "", "", Track.OFF),
        # Nothing to compare.
        (None, 0, "higher", "", Track.NO_DATA),
        ("50", 2, "higher", "", Track.NO_DATA),  # no value for the year
        ("50", 7, "higher", "", Track.NO_DATA),  # a year the round does not have
    ],
)
def test_an_outturn_is_classified_against_the_years_trajectory(
    outturn, year, polarity, indicator_polarity, expected
):
    assert (
        track_status(
            outturn=Decimal(outturn) if outturn else None,
            yearly_values=VALUES,
            year_index=year,
            polarity=polarity,
            indicator_polarity=indicator_polarity,
        )
        == expected
    )


def test_a_deferred_or_qualitative_target_without_a_value_has_no_data():
    assert track_status(outturn="5", yearly_values=[], year_index=0) == Track.NO_DATA
    assert track_status(outturn="5", yearly_values=[None, None], year_index=0) == Track.NO_DATA
    # A qualitative target's deemed value is compared like any other.
    assert track_status(outturn="5", yearly_values=["4"], year_index=0) == Track.ON


def test_statutory_targets_are_reviewed_once_their_values_are_set():
    assert not is_reviewed(kind="statutory", status="agreed", yearly_values=[None, None, None])
    assert is_reviewed(kind="statutory", status="agreed", yearly_values=[None, "60", None])
    assert is_reviewed(kind="local", status="agreed", yearly_values=[])
    assert not is_reviewed(kind="designated", status="withdrawn", yearly_values=["1"])
