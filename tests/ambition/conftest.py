"""Areas with a target on one indicator, each at the stage a test needs, in a round of
their own so that the demo's agreements never count."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Area
from agreements.models import Agreement, Target
from agreements.services import signed_targets_record
from indicators.models import Indicator, Round, RoundIndicator, StatisticalNeighbour
from negotiations.models import Version
from negotiations.versions import snapshot
from tests.factories import AgreementFactory, AreaFactory, OrganisationFactory


@pytest.fixture
def test_round(db) -> Round:
    round_ = Round.objects.create(
        name="Ambition test round", slug="ambition-test", structure="themes", first_year=2008
    )
    for code in ("NI 117", "NI 151", "NI 7"):
        RoundIndicator.objects.create(round=round_, indicator=Indicator.objects.get(code=code))
    return round_


@pytest.fixture
def go_north(db):
    return OrganisationFactory(government_office=True, name="GO Testnorth")


@pytest.fixture
def go_south(db):
    return OrganisationFactory(government_office=True, name="GO Testsouth")


def freeze(agreement: Agreement, stage: str) -> Version:
    """The agreement's content frozen as the workflow would, and the agreement moved on."""
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    version = Version.objects.create(
        agreement=agreement, number=number + 1, content=snapshot(agreement)
    )
    agreement.stage = stage
    if stage == "signed":
        agreement.signed_version = version
    agreement.save()
    if stage == "signed":
        signed_targets_record(agreements=[agreement])  # as the sign-off's last signature
    return version


def area_with_target(
    round_: Round,
    code: str,
    baseline,
    end,
    *,
    stage: str = "signed",
    government_office=None,
    tier: str = Area.Tier.UNITARY,
    kind: str = Target.Kind.DESIGNATED,
) -> Target:
    """An area whose agreement has a target on the indicator, from `baseline` to `end` by
    the round's last year, at `stage` (past drafting, with its version frozen)."""
    extra = {"government_office": government_office} if government_office else {}
    area = AreaFactory(tier=tier, **extra)
    agreement = AgreementFactory(area=area, round=round_)
    indicator = Indicator.objects.get(code=code)
    target = Target.objects.create(
        agreement=agreement,
        kind=kind,
        indicator=indicator,
        polarity=indicator.polarity,
        baseline_value=Decimal(str(baseline)) if baseline is not None else None,
        yearly_values=["", "", str(end) if end is not None else ""],
    )
    if stage != "drafting":
        freeze(agreement, stage)
    return target


def neighbours(area: Area, *others: Area) -> None:
    for position, other in enumerate(others):
        StatisticalNeighbour.objects.create(
            area=area, neighbour=other, position=position, source="a test list"
        )
