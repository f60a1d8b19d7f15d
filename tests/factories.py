"""Test data factories (factory-boy): rows with sensible defaults, so a test names only what
it is about. `build_batch` makes unsaved rows for `bulk_create`.

Each stage, status and state is a trait, so a test asks for the case it is about:
`AgreementFactory(in_review=True)`, `TargetFactory(challenged=True)`,
`FreedomRequestFactory(more_information=True)`, `SignOffFactory(at_go=True)`. The rows are
written directly, as the state a test starts from, without the workflow's side effects
(notifications, stage changes); the journeys themselves are what the tests exercise.

The round is the reference data's 2008-11 round, loaded with the test database.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Area, Organisation, User
from agreements.models import (
    Agreement,
    AgreementFundingStream,
    AgreementTheme,
    FundingStream,
    Outcome,
    Target,
)
from agreements.services import signed_targets_record
from core.roles import Role
from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner
from indicators.models import Round, RoundIndicator
from negotiations.models import Referral, Version
from negotiations.versions import snapshot
from partners.models import PartnerRepresentative, Partnership
from signoff.models import Signature, SignOff
from signoff.selectors import chain

PASSWORD = "demo-password"


def round_2008() -> Round:
    return Round.objects.get(slug="2008-11")


# --- Organisations, areas and people ------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.PARTNER
    name = factory.Sequence(lambda n: f"Test organisation {n:03d}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n:03d}")

    class Params:
        government_office = factory.Trait(kind=Organisation.Kind.GOVERNMENT_OFFICE)
        department = factory.Trait(
            kind=Organisation.Kind.DEPARTMENT,
            abbreviation=factory.Sequence(lambda n: f"TD{n:03d}"),
        )
        national_team = factory.Trait(kind=Organisation.Kind.NATIONAL_TEAM)


class AreaFactory(factory.django.DjangoModelFactory):
    """An area with its Government Office and its lead council (the locality)."""

    class Meta:
        model = Area
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testshire {n:03d}")
    slug = factory.Sequence(lambda n: f"testshire-{n:03d}")
    tier = Area.Tier.UNITARY
    government_office = factory.SubFactory(OrganisationFactory, government_office=True)
    locality = factory.RelatedFactory(
        OrganisationFactory,
        factory_related_name="area",
        kind=Organisation.Kind.LOCALITY,
        name=factory.LazyAttribute(lambda o: f"{o.factory_parent.name} Council"),
    )


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    area = factory.SubFactory(AreaFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    partner_type = "police"


def _organisation_for(user_factory) -> Organisation:
    """The organisation a person of this role belongs to, in the area given (if any)."""
    role, area = user_factory.role, user_factory.area
    if role == Role.COORDINATOR:
        return (area or AreaFactory()).organisations.get(kind=Organisation.Kind.LOCALITY)
    if role == Role.NEGOTIATOR:
        return (area or AreaFactory()).government_office
    if role == Role.PARTNER:
        if area is None:
            return PartnershipFactory().organisation
        return PartnershipFactory(area=area).organisation
    if role == Role.OFFICIAL:
        return OrganisationFactory(department=True)
    return OrganisationFactory(national_team=True)


class UserFactory(factory.django.DjangoModelFactory):
    """A person of a role (a trait each), in the organisation the role belongs to: for the
    area given as `area`, where the role has one (its locality, GO or a new partnership)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n:03d}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n:03d}")
    role = Role.COORDINATOR
    organisation = factory.LazyAttribute(_organisation_for)
    password = factory.django.Password(PASSWORD)

    class Params:
        area = None
        coordinator = factory.Trait(role=Role.COORDINATOR)
        partner = factory.Trait(role=Role.PARTNER)
        negotiator = factory.Trait(role=Role.NEGOTIATOR)
        official = factory.Trait(role=Role.OFFICIAL)
        admin = factory.Trait(role=Role.ADMIN, is_staff=True)

    @factory.post_generation
    def representative(user, create, extracted, **kwargs):
        """A partner user represents its partnership, with edit access unless told."""
        if create and user.role == Role.PARTNER:
            PartnerRepresentative.objects.create(
                partnership=user.organisation.partnerships.first(),
                user=user,
                access=extracted or "edit",
            )


def users_for_area(area: Area) -> dict[str, User]:
    """One person of each role for the area, keyed by role."""
    return {role: UserFactory(role=role, area=area) for role in Role.values if role}


# --- Agreements and their content ---------------------------------------------------------


class VersionFactory(factory.django.DjangoModelFactory):
    """The agreement's content frozen as it is now, numbered after its latest version."""

    class Meta:
        model = Version

    number = factory.LazyAttribute(lambda o: o.agreement.versions.count() + 1)
    content = factory.LazyAttribute(lambda o: snapshot(o.agreement))
    created_by = factory.LazyAttribute(lambda o: o.agreement.opened_by)


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement of the 2008-11 round for a new area, at the stage its trait names.
    Past drafting it has a submitted version, as the workflow would have frozen."""

    class Meta:
        model = Agreement

    area = factory.SubFactory(AreaFactory)
    round = factory.LazyFunction(round_2008)
    stage = "drafting"
    story_of_place = "A place of hills and lakes."
    opened_by = factory.LazyAttribute(lambda o: UserFactory(coordinator=True, area=o.area))
    # `complete=True`: the content the completeness check asks for (see `complete_content`).
    complete = False

    class Params:
        drafting = factory.Trait(stage="drafting")
        submitted = factory.Trait(stage="submitted")
        in_review = factory.Trait(stage="in_review")
        referred = factory.Trait(stage="referred")
        returned = factory.Trait(stage="returned")
        agreed_in_principle = factory.Trait(stage="agreed_in_principle")
        in_sign_off = factory.Trait(stage="in_sign_off")
        signed = factory.Trait(stage="signed", signed_at=factory.LazyFunction(timezone.now))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Opened in drafting, then moved to its stage with the version frozen on the way."""
        stage = kwargs.pop("stage")
        signed_at = kwargs.pop("signed_at", None)
        complete = kwargs.pop("complete")
        agreement = super()._create(model_class, *args, **kwargs)
        if complete:
            complete_content(agreement, agreed=stage in AGREED_STAGES)
        if stage != "drafting":
            version = VersionFactory(agreement=agreement)
            agreement.stage = stage
            if stage == "signed":
                agreement.signed_version, agreement.signed_at = version, signed_at
            agreement.save()
            if stage == "signed":
                # As the sign-off's last signature does.
                signed_targets_record(agreements=[agreement])
        return agreement

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("complete")
        return super()._build(model_class, *args, **kwargs)


class FundingStreamFactory(factory.django.DjangoModelFactory):
    """A funding stream of the 2008-11 round's catalogue, a department's specific grant."""

    class Meta:
        model = FundingStream

    round = factory.LazyFunction(round_2008)
    name = factory.Sequence(lambda n: f"Test grant {n:03d}")
    department = factory.SubFactory(OrganisationFactory, department=True)
    kind = FundingStream.Kind.SPECIFIC_GRANT

    class Params:
        area_based_grant = factory.Trait(kind=FundingStream.Kind.AREA_BASED_GRANT)


class FundingEntryFactory(factory.django.DjangoModelFactory):
    """A funding stream in an agreement, the lead council's money, pooled, with its consent
    recorded (`without_consent` for none)."""

    class Meta:
        model = AgreementFundingStream

    agreement = factory.SubFactory(AgreementFactory)
    stream = factory.SubFactory(FundingStreamFactory)
    yearly_amounts = ["1000000", "1050000", "1100000"]
    arrangement = AgreementFundingStream.Arrangement.POOLED
    provider = factory.LazyAttribute(
        lambda o: o.agreement.area.organisations.get(kind=Organisation.Kind.LOCALITY)
    )
    consent_given_by = "Director of Resources"
    consent_given_on = dt.date(2008, 2, 14)
    status = "proposed"

    class Params:
        without_consent = factory.Trait(consent_given_by="", consent_given_on=None)


AGREED_STAGES = ("agreed_in_principle", "in_sign_off", "signed")


def complete_content(agreement: Agreement, *, agreed: bool) -> None:
    """A theme of the round with an outcome, and two local targets under it with a baseline
    and every year's value: nothing for the completeness check to list. The targets are
    agreed once the agreement is (`agreed`), else proposed."""
    theme = AgreementTheme.objects.create(
        agreement=agreement, theme=agreement.round.themes.order_by("position", "name").first()
    )
    outcome = Outcome.objects.create(
        agreement=agreement, agreement_theme=theme, title="Less crime in our towns"
    )
    TargetFactory.create_batch(
        2, agreement=agreement, outcome=outcome, status="agreed" if agreed else "proposed"
    )


class TargetFactory(factory.django.DjangoModelFactory):
    """A local target, in the negotiation status its trait names."""

    class Meta:
        model = Target

    agreement = factory.SubFactory(AgreementFactory)
    kind = Target.Kind.LOCAL
    local_title = factory.Sequence(lambda n: f"Local indicator {n:03d}")
    units = "%"
    polarity = Target.Polarity.HIGHER
    baseline_value = 40
    baseline_year = "2007-08"
    yearly_values = ["42", "44", "46"]
    status = "proposed"

    class Params:
        proposed = factory.Trait(status="proposed")
        challenged = factory.Trait(status="challenged")
        agreed = factory.Trait(status="agreed")
        agreed_caveat = factory.Trait(status="agreed_caveat", caveats="Subject to the census.")
        to_be_agreed = factory.Trait(status="to_be_agreed")
        deferred = factory.Trait(status="deferred")
        withdrawn = factory.Trait(status="withdrawn")
        refused = factory.Trait(status="refused")
        # A national indicator's target (give `indicator`), led by the area's council.
        designated = factory.Trait(
            kind=Target.Kind.DESIGNATED,
            local_title="",
            units=factory.LazyAttribute(lambda o: o.indicator.units),
            polarity=factory.LazyAttribute(lambda o: o.indicator.polarity),
            lead_partner=factory.LazyAttribute(
                lambda o: o.agreement.area.organisations.get(kind=Organisation.Kind.LOCALITY)
            ),
        )


def statutory_targets(agreement: Agreement) -> list[Target]:
    """The round's statutory education targets, awaiting their figures, as opening the
    agreement puts them in place."""
    entries = RoundIndicator.objects.filter(round=agreement.round, is_statutory=True)
    return [
        Target.objects.create(
            agreement=agreement,
            kind=Target.Kind.STATUTORY,
            indicator=entry.indicator,
            units=entry.indicator.units,
            polarity=entry.indicator.polarity,
            yearly_values=[None] * agreement.round.year_count,
            statutory_state=Target.StatutoryState.AWAITING,
        )
        for entry in entries.select_related("indicator")
    ]


class ReferralFactory(factory.django.DjangoModelFactory):
    """A department brought in on the agreement's latest version; `answered` or
    `withdrawn` as traits."""

    class Meta:
        model = Referral

    agreement = factory.SubFactory(AgreementFactory, referred=True)
    department = factory.SubFactory(OrganisationFactory, department=True)
    version = factory.LazyAttribute(lambda o: o.agreement.versions.order_by("number").last())
    referred_by = factory.LazyAttribute(
        lambda o: UserFactory(negotiator=True, area=o.agreement.area)
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))

    class Params:
        answered = factory.Trait(
            answered_at=factory.LazyFunction(timezone.now),
            answered_by=factory.LazyAttribute(
                lambda o: UserFactory(official=True, organisation=o.department)
            ),
            summary="Content with the targets in our field.",
        )
        withdrawn = factory.Trait(
            withdrawn_at=factory.LazyFunction(timezone.now),
            withdrawn_by=factory.SelfAttribute("referred_by"),
            withdrawal_reason="No longer needed.",
        )


# --- Freedoms and flexibilities -----------------------------------------------------------


class PolicyOwnerFactory(factory.django.DjangoModelFactory):
    """An official who owns requests in a department, its LAA lead unless told."""

    class Meta:
        model = PolicyOwner

    department = factory.SubFactory(OrganisationFactory, department=True)
    user = factory.SubFactory(
        "tests.factories.UserFactory",
        official=True,
        organisation=factory.SelfAttribute("..department"),
    )
    is_laa_lead = True


class FreedomRequestFactory(factory.django.DjangoModelFactory):
    """A request of the agreement given (required), numbered from 100 upwards, in a state
    its trait names. From `with_department` on it has a department and an owner there (the
    department's LAA lead). Without a trait: with the department, without either."""

    class Meta:
        model = FreedomRequest

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Request {n:02d}")
    obstacle_kind = "rule"
    obstacle = "Separate audit trails"
    ask = "One budget"
    state = "with_department"
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(state="draft", submitted_at=None)
        with_go = factory.Trait(state="with_go")
        with_department = factory.Trait(
            state="with_department",
            department=factory.SubFactory(OrganisationFactory, department=True),
            owner=factory.SubFactory(
                PolicyOwnerFactory, department=factory.SelfAttribute("..department")
            ),
            referred_at=factory.LazyFunction(timezone.now),
            due_on=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20)),
        )
        more_information = factory.Trait(
            with_department=True,
            state="more_information",
            paused_at=factory.LazyFunction(timezone.now),
        )
        on_hold = factory.Trait(
            with_department=True, state="on_hold", paused_at=factory.LazyFunction(timezone.now)
        )
        answered = factory.Trait(
            with_department=True,
            state="answered",
            outcome="refused",
            reason="The audit trails are a statutory duty.",
            decided_as="department",
            decided_at=factory.LazyFunction(timezone.now),
        )
        relayed = factory.Trait(answered=True, state="relayed")


class NegotiatingBriefFactory(factory.django.DjangoModelFactory):
    """A department's part of the round's negotiating brief, written by one of its officials."""

    class Meta:
        model = NegotiatingBrief

    round = factory.LazyFunction(round_2008)
    department = factory.SubFactory(OrganisationFactory, department=True)
    topics = "Pooling of grants; reporting on specific grants"
    positions = "GOs may agree annual rather than quarterly reporting."
    no_go = "No waiver of statutory duties."
    author = factory.LazyAttribute(lambda o: UserFactory(official=True, organisation=o.department))


# --- Sign-off -----------------------------------------------------------------------------


class SignOffFactory(factory.django.DjangoModelFactory):
    """An open sign-off run of an agreement in sign-off, on its latest version, waiting at
    the step its trait names (`at_partners`, `at_council`, `at_go`, `at_minister`): every
    signatory of the steps before it has signed."""

    class Meta:
        model = SignOff

    agreement = factory.SubFactory(AgreementFactory, in_sign_off=True)
    version = factory.LazyAttribute(lambda o: o.agreement.versions.order_by("number").last())
    steps = factory.LazyAttribute(lambda o: list(o.agreement.round.signing_steps))
    started_by = factory.LazyAttribute(
        lambda o: UserFactory(negotiator=True, area=o.agreement.area)
    )

    # The step the run waits at (not a column: `_create` signs the steps before it).
    waiting_at = factory.LazyAttribute(lambda o: o.steps[0])

    class Params:
        at_partners = factory.Trait(waiting_at="partners")
        at_council = factory.Trait(waiting_at="council")
        at_go = factory.Trait(waiting_at="go")
        at_minister = factory.Trait(waiting_at="minister")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        waiting_at = kwargs.pop("waiting_at")
        sign_off = super()._create(model_class, *args, **kwargs)
        area = sign_off.agreement.area
        if not area.partnerships.exists():
            PartnershipFactory(area=area)
        for step in chain(sign_off):
            if step.kind == waiting_at:
                break
            for signatory in step.signatories:
                if signatory.signature is None:
                    SignatureFactory(
                        sign_off=sign_off, step=step.kind, organisation=signatory.organisation
                    )
        return sign_off


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    version = factory.SelfAttribute("sign_off.version")
    signatory_name = factory.Sequence(lambda n: f"Signatory {n:03d}")
    signatory_role = "Chief Executive"
    signed_on = factory.LazyFunction(timezone.localdate)
    statement = "Signed on behalf of the organisation."
