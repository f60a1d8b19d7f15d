"""The peers come from the signed targets table when it holds the signed versions: the same
peers as read from the versions' content, and the same queries for 5 areas as for 150."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Area
from agreements.models import Agreement, SignedTarget
from agreements.services import signed_targets_record
from ambition import selectors
from negotiations.models import Version
from tests.ambition.conftest import area_with_target
from tests.factories import AreaFactory, UserFactory


def _signed(round_, count: int, start: int = 0) -> None:
    """`count` areas with a signed agreement holding NI 117 (and a local target), the table
    filled as the sign-off's last signature fills it."""
    made = []
    for n in range(start, start + count):
        area = AreaFactory(tier=Area.Tier.COUNTY if n % 2 else Area.Tier.UNITARY)
        agreement = Agreement.objects.create(area=area, round=round_, stage="signed")
        version = Version.objects.create(
            agreement=agreement,
            number=1,
            content={
                "years": round_.years,
                "targets": [
                    {"code": "", "kind": "local", "key": "local:1", "yearly_values": ["1"]},
                    {
                        "code": "NI 117",
                        "kind": "designated",
                        "baseline_value": "10.0",
                        "baseline_places": 1,
                        "units": "%",
                        "yearly_values": ["9", None, str(7 - n % 5)],
                    },
                ],
            },
        )
        agreement.signed_version = version
        agreement.save(update_fields=["signed_version"])
        made.append(agreement)
    signed_targets_record(agreements=made)


def _pool(round_) -> list[tuple]:
    return [
        (p.area_name, p.kind, p.baseline, p.baseline_places, p.end, p.yearly_values, p.units)
        for p in selectors.signed_pool(round_, {"NI 117"}).get("NI 117", [])
    ]


@pytest.mark.django_db
def test_the_table_gives_the_peers_the_versions_content_gives(test_round):
    _signed(test_round, 6)
    from_table = _pool(test_round)
    assert len(from_table) == 6
    first = from_table[0]
    assert (first[1], first[3], first[5][:2], first[6]) == ("designated", 1, ("9", ""), "%")
    # The same peers as read from each signed version's content, as submitted versions are.
    contents = (
        Agreement.objects.filter(round=test_round, signed_version__isnull=False)
        .order_by("area__name")
        .values_list(
            *selectors.AREA_COLUMNS, "signed_version__number", "signed_version__content__targets"
        )
    )
    from_content = selectors._entries(contents, selectors.SIGNED, {"NI 117"})["NI 117"]
    assert from_table == [
        (p.area_name, p.kind, p.baseline, p.baseline_places, p.end, p.yearly_values, p.units)
        for p in from_content
    ]
    # The table is what is read: without its rows there are no peers.
    SignedTarget.objects.all().delete()
    assert _pool(test_round) == []


@pytest.mark.django_db
def test_the_pool_takes_the_same_queries_for_5_and_150_signed_areas(test_round, go_north):
    target = area_with_target(
        test_round, "NI 117", 10, 8, stage="in_review", government_office=go_north
    )
    negotiator = UserFactory(negotiator=True, organisation=go_north)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.agreement_figures(negotiator, target.agreement)
        return len(queries)

    _signed(test_round, 5)
    few = count()
    _signed(test_round, 145, start=5)
    assert SignedTarget.objects.filter(round=test_round, code="NI 117").count() == 150
    assert count() == few
    (_, figures) = selectors.agreement_figures(negotiator, target.agreement)[0]
    assert figures.national.chose == 150
