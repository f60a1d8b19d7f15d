"""Every key page runs the same number of queries on the demo and on a national round, and
none runs more than fifteen.

The national round (`portal.national.seed_national`) gives every one of the 150 areas its
agreement with 51 targets, five versions, comments, referrals, requests and signatures; a
page whose queries grow with the data would show it here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from negotiations.models import Referral, Version

MAX_QUERIES = 15

# (role, page) for every page the national team, GOs and departments live on.
KEY_PAGES = [
    ("admin", "/"),
    ("negotiator", "/"),
    ("official", "/"),
    ("coordinator", "/"),
    ("partner", "/"),
    ("admin", "/agreements/"),
    ("admin", "/agreements/?page=2"),
    ("admin", "/agreements/?go=go-north-west&stage=referred"),
    ("negotiator", "/agreements/"),
    ("negotiator", "/agreements/?overdue=yes&party=go&assigned=none"),
    ("negotiator", "/agreements/assign/"),
    ("official", "/agreements/2008-11/manchester/negotiation/referral/"),
    ("official", "/agreements/"),
    ("coordinator", "/agreements/"),
    ("partner", "/agreements/"),
    ("coordinator", "/agreements/2008-11/cumbria/"),
    ("negotiator", "/agreements/2008-11/cumbria/"),
    ("admin", "/agreements/2008-11/cumbria/"),
    ("coordinator", "/agreements/2008-11/cumbria/targets/"),
    ("negotiator", "/agreements/2008-11/manchester/versions/compare/?from=1&to=2"),
    ("admin", "/dashboards/"),
    ("admin", "/dashboards/go-north-west/"),
    ("negotiator", "/dashboards/go-north-west/"),
    ("admin", "/freedoms/register/"),
    ("coordinator", "/freedoms/register/?q=funding"),
    ("negotiator", "/freedoms/2008-11/figures/"),
    ("official", "/freedoms/2008-11/figures/"),
    ("admin", "/freedoms/2008-11/figures/"),
    ("admin", "/indicators/?q=mortality"),
]


def _counts(client, users) -> dict[tuple[str, str], int]:
    counts = {}
    for role, path in KEY_PAGES:
        client.force_login(users[role])
        client.get(path)  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (role, path, response.status_code)
        counts[(role, path)] = len(queries)
    return counts


@pytest.mark.django_db
def test_key_pages_take_the_same_queries_on_the_demo_and_a_national_round(client, users_by_role):
    from portal.national import seed_national

    # Manchester's agreement (referred to departments) gets a second version to compare.
    first = Version.objects.get(agreement__area__name="Manchester", number=1)
    Version.objects.create(agreement=first.agreement, number=2, content=first.content)
    # The department also saw Blackpool's agreement, now in sign-off, so its list reads the
    # sign-off chains on the demo as it will on the national round.
    blackpool = Version.objects.filter(agreement__area__name="Blackpool").order_by("number")[0]
    Referral.objects.create(
        agreement=blackpool.agreement,
        department=users_by_role["official"].organisation,
        version=blackpool,
        due_on=timezone.localdate(),
        answered_at=timezone.now(),
    )

    small = _counts(client, users_by_role)
    made = seed_national(scale=1)
    assert made["agreements"] >= 140 and made["requests"] >= 2000
    national = _counts(client, users_by_role)

    # The national dashboard the README's tour ends on counts every one of the 150 areas.
    client.force_login(users_by_role["admin"])
    headline = client.get("/dashboards/").content.decode()
    headline = headline[headline.index('data-testid="headline"') :]
    assert (
        '<dt class="govuk-summary-list__key">Agreements opened</dt>'
        '<dd class="govuk-summary-list__value">150</dd>'
    ) in headline

    too_many = {page: n for page, n in national.items() if n > MAX_QUERIES}
    assert not too_many, f"pages over {MAX_QUERIES} queries: {too_many}"
    changed = {page: (n, national[page]) for page, n in small.items() if n != national[page]}
    assert not changed, f"query counts that grew with the data: {changed}"
