import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Area, Organisation
from agreements.models import Agreement, Target
from agreements.stages import Action, Stage
from freedoms.models import FreedomRequest
from indicators.models import Indicator
from negotiations.models import Comment, Referral, StageChange, Version
from signoff.models import Signature, SignOff, StepKind


@pytest.fixture
def north_west(db) -> Organisation:
    return Organisation.objects.get(slug="go-north-west")


@pytest.fixture
def london(db) -> Organisation:
    return Organisation.objects.get(slug="go-london")


@pytest.fixture
def many_agreements(round_2008):
    """Sixty more agreements in every Government Office, at every stage, with targets,
    challenges, referrals, stage changes and requests: a large scope for query counts."""
    areas = list(Area.objects.exclude(agreements__round=round_2008).order_by("name")[:60])
    stages = list(Stage.values)
    agreements = Agreement.objects.bulk_create(
        Agreement(area=area, round=round_2008, stage=stages[i % len(stages)])
        for i, area in enumerate(areas)
    )
    indicators = list(Indicator.objects.filter(code__in=["NI 1", "NI 8", "NI 56", "NI 120"]))
    Target.objects.bulk_create(
        Target(agreement=a, kind=Target.Kind.DESIGNATED, indicator=indicator)
        for a in agreements
        for indicator in indicators[: 1 + a.pk % len(indicators)]
    )
    versions = Version.objects.bulk_create(
        Version(agreement=a, number=1, content={}) for a in agreements
    )
    StageChange.objects.bulk_create(
        StageChange(
            agreement=a,
            action=Action.SUBMIT,
            from_stage=Stage.DRAFTING,
            to_stage=Stage.SUBMITTED,
            version=v,
        )
        for a, v in zip(agreements, versions, strict=True)
    )
    departments = list(Organisation.objects.filter(kind="department").order_by("abbreviation")[:4])
    Referral.objects.bulk_create(
        Referral(
            agreement=a,
            department=d,
            version=v,
            due_on=timezone.localdate() + dt.timedelta(days=5),
        )
        for a, v in zip(agreements, versions, strict=True)
        if a.stage == Stage.REFERRED
        for d in departments
    )
    Comment.objects.bulk_create(
        Comment(
            agreement=a,
            kind=Comment.Kind.CHALLENGE,
            visibility=Comment.Visibility.LOCALITY,
            body="Justify this trajectory.",
        )
        for a in agreements
        if a.stage == Stage.IN_REVIEW
    )
    FreedomRequest.objects.bulk_create(
        FreedomRequest(
            agreement=a,
            number=1,
            title="Pool the grants",
            obstacle_kind="funding_condition",
            obstacle="Separate grants",
            ask="One budget",
            state="with_department",
            department=departments[a.pk % len(departments)],
            submitted_at=timezone.now() - dt.timedelta(days=a.pk % 30),
            due_on=timezone.localdate(),
        )
        for a in agreements
    )
    in_sign_off = [
        (agreement, version)
        for agreement, version in zip(agreements, versions, strict=True)
        if agreement.stage == Stage.IN_SIGN_OFF
    ]
    for i, (agreement, version) in enumerate(in_sign_off):
        run = SignOff.objects.create(
            agreement=agreement, version=version, steps=round_2008.signing_steps
        )
        if i % 2:  # half have the council's adoption already
            Signature.objects.create(
                sign_off=run,
                step=StepKind.COUNCIL,
                version=version,
                organisation=agreement.area.organisations.get(kind="locality"),
                signatory_name="A Member",
                signatory_role="Leader of the council",
                signed_on=timezone.localdate(),
                statement="Adopted.",
            )
    return agreements
