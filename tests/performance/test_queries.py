"""The pages the annual review changed run the same number of queries for an agreement of
5 targets and one of 51."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.stages import Action, Stage
from negotiations import services as negotiation
from performance.selectors import review_targets
from signoff.services import round_refresh_open
from tests.performance.conftest import add_targets, record

WIGAN = "/agreements/2008-11/wigan/"
PAGES = [
    ("wigan_coordinator", WIGAN + "annual-review/2008/"),
    ("negotiator", WIGAN + "annual-review/2008/"),
    ("wigan_coordinator", WIGAN + "annual-review/"),
    ("negotiator", WIGAN),
    ("admin_user", "/dashboards/"),
    ("admin_user", "/dashboards/go-north-west/on-track/"),
    ("negotiator", "/dashboards/go-north-west/on-track/"),
]
MAX_QUERIES = 15  # as every key page (tests/test_scale_queries.py)


def _counts(client, request, pages) -> dict[tuple[str, str], int]:
    counts = {}
    for who, path in pages:
        client.force_login(request.getfixturevalue(who))
        client.get(path)  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        counts[(who, path)] = len(queries)
    return counts


def _grow_to(agreement, review, actor, count: int) -> None:
    missing = count - len(review_targets(agreement, review))
    add_targets(agreement, missing, review=review, actor=actor)
    assert len(review_targets(agreement, review)) == count


@pytest.mark.django_db
def test_review_pages_and_dashboards_take_the_same_queries_for_5_and_51_targets(
    client, request, signed, review, wigan_coordinator
):
    record(signed, "NI 120", "700", review, wigan_coordinator)
    _grow_to(signed, review, wigan_coordinator, 5)
    small = _counts(client, request, PAGES)
    _grow_to(signed, review, wigan_coordinator, 51)
    large = _counts(client, request, PAGES)
    assert small == large
    assert max(large.values()) <= MAX_QUERIES, large


@pytest.mark.django_db
def test_the_amendment_takes_the_same_queries_for_5_and_51_changed_targets(
    client, request, signed, review, wigan_coordinator, admin_user
):
    round_refresh_open(round=signed.round, actor=admin_user)
    negotiation.agreement_transition(
        agreement=signed,
        actor=wigan_coordinator,
        action=Action.START_AMENDMENT,
        expected_stage=Stage.SIGNED,
        comment="Refresh",
    )
    signed.refresh_from_db()
    pages = [("wigan_coordinator", WIGAN + "amendment/")]
    add_targets(signed, 5, review=review, actor=wigan_coordinator)
    small = _counts(client, request, pages)
    add_targets(signed, 46, review=review, actor=wigan_coordinator)
    large = _counts(client, request, pages)
    page = client.get(WIGAN + "amendment/").content.decode()
    assert page.count("95 in 2008/09") == 51
    assert small == large
