"""The GO's and the department's pages of a negotiation take the same number of queries for
5 and 51 targets: the negotiation page, agreeing the remaining items, what is outstanding,
compare, the departments' views, the referral page and a target's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from agreements.stages import Stage
from negotiations.models import Referral
from tests.agreements.test_target_queries import add_targets, version_of


def _referred(agreement: Agreement, official) -> int:
    """The agreement referred on a fresh version of its content; returns that version."""
    number = version_of(agreement)
    version = agreement.versions.get(number=number)
    Agreement.objects.filter(pk=agreement.pk).update(stage=Stage.REFERRED)
    Referral.objects.update_or_create(
        agreement=agreement,
        department=official.organisation,
        defaults={"version": version, "due_on": dt.date(2008, 3, 1)},
    )
    return number


def counts(client, agreement, users) -> dict[str, int]:
    number = _referred(agreement, users["official"])
    base = f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"
    target = agreement.targets.filter(kind="designated").order_by("pk").first()
    pages = [
        ("negotiator", base + "negotiation/"),
        ("negotiator", base + "negotiation/agree-remaining/"),
        ("negotiator", base + "negotiation/outstanding/"),
        ("negotiator", base + "negotiation/department-views/"),
        ("negotiator", base + f"versions/compare/?from=1&to={number}"),
        ("official", base + "negotiation/referral/"),
        ("coordinator", base + "negotiation/"),
        ("coordinator", base + f"targets/{target.pk}/"),
    ]
    found = {}
    for role, path in pages:
        client.force_login(users[role])
        client.get(path)  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (role, path, response.status_code)
        found[(role, path.removeprefix(base).split("?")[0])] = len(queries)
    return found


@pytest.mark.django_db
def test_negotiation_pages_take_the_same_queries_for_5_and_51_targets(
    client, agreement, users_by_role
):
    # Every target made alike (partners, a district split), so the two counts differ
    # only by the number of targets.
    agreement.targets.exclude(kind="statutory").delete()
    add_targets(agreement, 5)
    version_of(agreement)  # version 1, to compare later versions with
    assert agreement.targets.exclude(kind="statutory").count() == 5
    few = counts(client, agreement, users_by_role)
    add_targets(agreement, 46)
    assert agreement.targets.exclude(kind="statutory").count() == 51
    many = counts(client, agreement, users_by_role)
    assert few == many
