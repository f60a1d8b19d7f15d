"""A signed agreement (the demo's Wigan, GO North West) and an open annual review."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import User
from agreements.models import Agreement, Target
from indicators.models import Indicator
from performance import services
from performance.models import AnnualReview
from performance.services import OutturnFields


@pytest.fixture
def signed(db) -> Agreement:
    agreement = Agreement.objects.select_related("area", "round").get(area__name="Wigan")
    assert agreement.signed_version_id is not None
    # Mortality and obesity: lower is better.
    agreement.targets.filter(indicator__code__in=["NI 120", "NI 56"]).update(polarity="lower")
    return agreement


@pytest.fixture
def wigan_coordinator(db) -> User:
    return User.objects.select_related("organisation").get(email="wigan.coordinator@example.org")


@pytest.fixture
def review(signed, admin_user) -> AnnualReview:
    return services.annual_review_open(round=signed.round, year_index=0, actor=admin_user)


def outturn_fields(value: str, **extra) -> OutturnFields:
    values = {
        "value": Decimal(value),
        "measured_on": dt.date(2009, 6, 30),
        "source": "APS 2008/09, ONS",
    }
    values.update(extra)
    return OutturnFields(**values)


def record(agreement, code: str, value: str, review, actor, **extra):
    target = agreement.targets.get(indicator__code=code)
    current = target.outturns.filter(year_index=review.year_index).first()
    return services.outturn_record(
        agreement=agreement,
        target=target,
        review=review,
        actor=actor,
        expected_version=current.version if current else None,
        fields=outturn_fields(value, **extra),
    )


def add_targets(agreement, count: int, *, review=None, actor=None) -> list[Target]:
    """Designated targets straight into a signed agreement (as if it had been signed with
    them), each with an outturn for the review's year when a review is given."""
    used = agreement.targets.exclude(indicator=None).values_list("indicator_id", flat=True)
    indicators = (
        Indicator.objects.filter(
            catalogue_entries__round=agreement.round, catalogue_entries__is_statutory=False
        )
        .exclude(pk__in=list(used))
        .order_by("number")[:count]
    )
    made = Target.objects.bulk_create(
        Target(
            agreement=agreement,
            kind=Target.Kind.DESIGNATED,
            indicator=indicator,
            polarity=Target.Polarity.LOWER if i % 2 else Target.Polarity.HIGHER,
            yearly_values=["100", "90", "80"],
            status="agreed",
        )
        for i, indicator in enumerate(indicators)
    )
    assert len(made) == count
    if review is not None:
        from performance.models import Outturn

        Outturn.objects.bulk_create(
            Outturn(
                target=target,
                year_index=review.year_index,
                value=Decimal("95"),
                measured_on=dt.date(2009, 6, 30),
                source="Test source",
                recorded_by=actor,
            )
            for target in made
        )
    return made
