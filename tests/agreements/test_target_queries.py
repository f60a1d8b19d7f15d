"""The pages that show every target take the same number of queries for 5 and 51 designated
targets (beside the statutory ones an agreement opens with)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from agreements.models import DistrictShare, Target
from negotiations.models import Version
from negotiations.versions import snapshot


def add_targets(agreement, count: int) -> None:
    """Designated targets with a lead, two contributors and a district split each."""
    used = set(agreement.targets.exclude(indicator=None).values_list("indicator_id", flat=True))
    entries = agreement.round.catalogue.filter(is_statutory=False).exclude(indicator_id__in=used)
    partners = list(Organisation.objects.filter(kind=Organisation.Kind.PARTNER)[:3])
    for entry in entries.select_related("indicator").order_by("indicator__number")[:count]:
        target = Target.objects.create(
            agreement=agreement,
            kind=Target.Kind.DESIGNATED,
            indicator=entry.indicator,
            units="%",
            baseline_value=Decimal("10.5"),
            baseline_places=1,
            baseline_year="2007/08",
            yearly_values=["11.0", "12", "13.25"],
            lead_partner=partners[0],
            caveats="Subject to the survey.",
        )
        target.contributing_partners.set(partners[1:])
        DistrictShare.objects.create(
            target=target, district=partners[0], value=Decimal("4"), places=1
        )


def version_of(agreement) -> int:
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    Version.objects.create(agreement=agreement, number=number + 1, content=snapshot(agreement))
    return number + 1


def counts(client, agreement) -> dict[str, int]:
    base = f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"
    number = version_of(agreement)
    pages = {
        "targets": base + "targets/",
        "overview": base,
        "print": base + "print/",
        "version": base + f"versions/{number}/",
    }
    found = {}
    for name, path in pages.items():
        client.get(path)  # the session settles
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        found[name] = len(queries)
    return found


@pytest.mark.django_db
def test_target_pages_take_the_same_queries_for_5_and_51_targets(
    client, coordinator2, fresh_agreement
):
    client.force_login(coordinator2)
    add_targets(fresh_agreement, 5)
    assert fresh_agreement.targets.filter(kind="designated").count() == 5
    few = counts(client, fresh_agreement)
    add_targets(fresh_agreement, 46)
    assert fresh_agreement.targets.filter(kind="designated").count() == 51
    many = counts(client, fresh_agreement)
    assert few == many
