"""Whose targets count for whom: signed agreements for everyone, a Government Office's own
areas' submitted versions for its negotiators only, and never another area's draft."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agreements.models import Target
from ambition import selectors
from tests.ambition.conftest import area_with_target, freeze
from tests.factories import UserFactory

# The peers by the value of their final year, which tells each case apart.
SIGNED_SOUTH, SIGNED_NORTH = 11, 12
SUBMITTED_NORTH, SUBMITTED_SOUTH = 13, 14
DRAFT_NORTH = 15
RETURNED_NORTH_AS_SUBMITTED, RETURNED_NORTH_REDRAFTED = 16, 99
AMENDED_AS_SIGNED, AMENDED_IN_DRAFT = 17, 98

PUBLIC = {SIGNED_SOUTH, SIGNED_NORTH, AMENDED_AS_SIGNED}
NORTH_GO = PUBLIC | {SUBMITTED_NORTH, RETURNED_NORTH_AS_SUBMITTED}
SOUTH_GO = PUBLIC | {SUBMITTED_SOUTH}


@pytest.fixture
def world(test_round, go_north, go_south):
    code = "NI 151"
    area_with_target(test_round, code, 10, SIGNED_SOUTH, government_office=go_south)
    area_with_target(test_round, code, 10, SIGNED_NORTH, government_office=go_north)
    area_with_target(
        test_round, code, 10, SUBMITTED_NORTH, stage="in_review", government_office=go_north
    )
    area_with_target(
        test_round, code, 10, SUBMITTED_SOUTH, stage="submitted", government_office=go_south
    )
    area_with_target(
        test_round, code, 10, DRAFT_NORTH, stage="drafting", government_office=go_north
    )
    # Returned for revision and changed since: the version the GO received counts.
    returned = area_with_target(
        test_round,
        code,
        10,
        RETURNED_NORTH_AS_SUBMITTED,
        stage="returned",
        government_office=go_north,
    )
    Target.objects.filter(pk=returned.pk).update(yearly_values=["", "", "99"])
    # Signed, then amended in a later draft: the signed version counts, for everyone.
    amended = area_with_target(test_round, code, 10, AMENDED_AS_SIGNED, government_office=go_south)
    Target.objects.filter(pk=amended.pk).update(yearly_values=["", "", "98"])
    amended.agreement.refresh_from_db()
    freeze(amended.agreement, "in_review")  # an amendment submitted, still signed as before
    mine = area_with_target(test_round, code, 10, 12, stage="in_review", government_office=go_north)
    area = mine.agreement.area
    return {
        "target": mine,
        "viewers": {
            "coordinator": UserFactory(coordinator=True, area=area),
            "partner": UserFactory(partner=True, area=area),
            "north negotiator": UserFactory(negotiator=True, organisation=go_north),
            "south negotiator": UserFactory(negotiator=True, organisation=go_south),
            "official": UserFactory(official=True),
            "admin": UserFactory(admin=True),
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "counted"),
    [
        ("coordinator", PUBLIC),
        ("partner", PUBLIC),
        ("official", PUBLIC),
        ("admin", PUBLIC),
        ("north negotiator", NORTH_GO),
        ("south negotiator", SOUTH_GO),
    ],
)
def test_whose_targets_count_for_whom(world, viewer, counted):
    user = world["viewers"][viewer]
    figures = selectors.target_figures(user, world["target"])
    ends = {int(peer.end) for peer, _ in figures.national.peers}
    assert ends == counted
    assert DRAFT_NORTH not in ends
    assert RETURNED_NORTH_REDRAFTED not in ends and AMENDED_IN_DRAFT not in ends
    sources = {peer.source for peer, _ in figures.national.peers}
    assert figures.includes_submitted == (viewer.endswith("negotiator"))
    if not viewer.endswith("negotiator"):
        assert sources == {"signed"}


@pytest.mark.django_db
def test_the_signed_version_counts_even_while_an_amendment_is_drafted(world):
    figures = selectors.target_figures(world["viewers"]["admin"], world["target"])
    amended = [peer for peer, _ in figures.national.peers if peer.end == Decimal(17)]
    assert len(amended) == 1 and amended[0].source == "signed"
