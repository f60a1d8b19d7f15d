"""An agreement ready for signature, and helpers that walk it through the chain."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, Role, User
from agreements.models import Agreement
from agreements.stages import Action, Stage
from negotiations import services as negotiation
from partners.models import AccessLevel, PartnerRepresentative, Partnership, PartnerType
from signoff import services
from signoff.models import SignOff, StepKind
from tests.negotiations.conftest import ready_to_agree

PARTNERS = ("Lancashire Constabulary (test)", "Lancashire Primary Care Trust (test)")


def _partner(area, name: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"kind": Organisation.Kind.PARTNER, "name": name}
    )
    Partnership.objects.get_or_create(
        area=area, organisation=organisation, defaults={"partner_type": PartnerType.OTHER}
    )
    return organisation


@pytest.fixture
def lancashire(db) -> Agreement:
    return Agreement.objects.get(area__name="Lancashire")


@pytest.fixture
def lancashire_coordinator(db) -> User:
    return User.objects.get(email="lancashire.coordinator@example.org")


@pytest.fixture
def police_user(db) -> User:
    agreement = Agreement.objects.get(area__name="Lancashire")
    police = _partner(agreement.area, PARTNERS[0])
    user = User.objects.create_user(
        email="police.lancashire@example.org",
        password="a-long-test-password",
        full_name="Priya Police",
        role=Role.PARTNER,
        organisation=police,
    )
    PartnerRepresentative.objects.create(
        partnership=Partnership.objects.get(area=agreement.area, organisation=police),
        user=user,
        access=AccessLevel.COMMENT,
    )
    return user


@pytest.fixture
def agreed(db, police_user, lancashire_coordinator, negotiator) -> Agreement:
    """Lancashire, its challenges answered, with two partners (the police lead NI 117),
    agreed in principle: ready for the GO to start sign-off."""
    agreement = Agreement.objects.get(area__name="Lancashire")
    police = Organisation.objects.get(name=PARTNERS[0])
    _partner(agreement.area, PARTNERS[1])
    agreement.targets.filter(indicator__code="NI 117").update(lead_partner=police)
    ready_to_agree(agreement, negotiator)
    negotiation.agreement_transition(
        agreement=agreement,
        actor=negotiator,
        action=Action.AGREE_IN_PRINCIPLE,
        expected_stage=Stage.IN_REVIEW,
        comment="Recommended by the Regional Director.",
    )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def in_sign_off(agreed, negotiator) -> Agreement:
    negotiation.agreement_transition(
        agreement=agreed,
        actor=negotiator,
        action=Action.START_SIGN_OFF,
        expected_stage=Stage.AGREED_IN_PRINCIPLE,
    )
    agreed.refresh_from_db()
    return agreed


def fields(**overrides) -> services.SignatureFields:
    base = services.SignatureFields(
        signatory_name="Sam Signer",
        signatory_role="Chief Executive",
        signed_on=timezone.localdate(),
    )
    return replace(base, **overrides)


def run_of(agreement) -> SignOff:
    return agreement.sign_offs.get(state=SignOff.State.OPEN)


def sign(agreement, actor, step, organisation, **overrides):
    run = agreement.sign_offs.order_by("-created_at").first()
    defaults = {}
    if step == StepKind.PARTNERS:
        from signoff.selectors import commitment_choices

        choices = commitment_choices(run.version.content, organisation.name)
        defaults["targets"] = [c["key"] for c in choices["targets"] if c["as"]]
        defaults["funding"] = [c["key"] for c in choices["funding"] if c["as"]]
    elif step == StepKind.COUNCIL:
        defaults["meeting"] = "Full council, 26 June 2008"
    elif step == StepKind.GO:
        defaults.update(regional_director="Rita Director", vcs_confirmed=True)
    defaults.update(overrides)
    return services.signature_record(
        agreement=agreement,
        actor=actor,
        step=step,
        organisation=organisation,
        version_number=run.version.number,
        fields=fields(**defaults),
    )


def sign_everything(agreement, *, coordinator, negotiator, admin) -> None:
    """The whole default chain: the coordinator records each partner's sign-off on its
    behalf, then the council's adoption; the GO recommends; the admin records the Minister."""
    for partnership in agreement.area.partnerships.select_related("organisation"):
        sign(agreement, coordinator, StepKind.PARTNERS, partnership.organisation)
    sign(agreement, coordinator, StepKind.COUNCIL, council_of(agreement))
    sign(agreement, negotiator, StepKind.GO, agreement.area.government_office)
    sign(agreement, admin, StepKind.MINISTER, national_team())


def council_of(agreement) -> Organisation:
    return agreement.area.organisations.get(kind=Organisation.Kind.LOCALITY)


def national_team() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.NATIONAL_TEAM)


A_DAY = date(2008, 6, 27)
