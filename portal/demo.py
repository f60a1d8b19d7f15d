"""Demonstration organisations and one login per role, for trying the portal out.

Created idempotently: a second run finds what the first made. Never in production.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Area, Organisation, Role, User
from agreements import services as agreement_services
from agreements.models import Agreement, FundingStream
from agreements.stages import Action, Stage
from freedoms import services as freedoms
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner
from indicators.models import Indicator, Milestone, Round
from negotiations import readiness
from negotiations import services as negotiation
from negotiations.amendments import working_changes
from negotiations.models import Comment, ReviewRating, TargetView
from partners.models import AccessLevel, PartnerRepresentative, Partnership, PartnerType
from signoff import selectors as signoff_selectors
from signoff import services as signoff
from signoff.models import StepKind

DEMO_AREA = "Cumbria"  # a two-tier county under GO North West
SECOND_DEMO_AREA = "Leeds"  # a metropolitan district under GO Yorkshire and the Humber
DEMO_DEPARTMENT = "DCSF"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    role: Role
    description: str


DEMO_LOGINS = [
    DemoLogin(
        "coordinator@example.org",
        "Chris Coordinator",
        Role.COORDINATOR,
        f"LAA coordinator, {DEMO_AREA}",
    ),
    DemoLogin(
        "partner@example.org", "Pat Partner", Role.PARTNER, f"partner representative in {DEMO_AREA}"
    ),
    DemoLogin(
        "negotiator@example.org",
        "Nadia Negotiator",
        Role.NEGOTIATOR,
        "GO lead negotiator, GO North West",
    ),
    DemoLogin(
        "official@example.org",
        "Olu Official",
        Role.OFFICIAL,
        f"department official, {DEMO_DEPARTMENT}",
    ),
    DemoLogin("admin@example.org", "Ada Admin", Role.ADMIN, "national team admin"),
    DemoLogin(
        "coordinator2@example.org",
        "Kim Coordinator",
        Role.COORDINATOR,
        f"LAA coordinator, {SECOND_DEMO_AREA}",
    ),
]


class DemoDataError(Exception):
    pass


def demo_seed(*, force: bool = False, password: str | None = None) -> list[tuple[DemoLogin, bool]]:
    """Create the demo partner and users. Returns each login and whether it was new."""
    if not settings.DEBUG and not force:
        raise DemoDataError("Demo data is not created when DEBUG is off (use --force to override).")
    password = password or settings.DEMO_PASSWORD
    try:
        area = Area.objects.get(name=DEMO_AREA)
        second_area = Area.objects.get(name=SECOND_DEMO_AREA)
        department = Organisation.objects.get(
            kind=Organisation.Kind.DEPARTMENT, abbreviation=DEMO_DEPARTMENT
        )
        national_team = Organisation.objects.get(kind=Organisation.Kind.NATIONAL_TEAM)
    except (Area.DoesNotExist, Organisation.DoesNotExist) as exc:
        raise DemoDataError("Load the reference data first: manage.py load_reference_data") from exc

    with transaction.atomic():
        partner, _ = Organisation.objects.get_or_create(
            slug="demo-cumbria-primary-care-trust",
            defaults={
                "kind": Organisation.Kind.PARTNER,
                "name": "Cumbria Primary Care Trust (demo)",
            },
        )
        Partnership.objects.get_or_create(
            area=area, organisation=partner, defaults={"partner_type": PartnerType.PCT}
        )
        organisations = {
            "coordinator@example.org": area.organisations.get(kind=Organisation.Kind.LOCALITY),
            "partner@example.org": partner,
            "negotiator@example.org": area.government_office,
            "official@example.org": department,
            "admin@example.org": national_team,
            "coordinator2@example.org": second_area.organisations.get(
                kind=Organisation.Kind.LOCALITY
            ),
        }
        for name in ("Carlisle City Council", "South Lakeland District Council"):
            district, _ = Organisation.objects.get_or_create(
                slug=slugify(name), defaults={"kind": Organisation.Kind.PARTNER, "name": name}
            )
            Partnership.objects.get_or_create(
                area=area,
                organisation=district,
                defaults={"partner_type": PartnerType.DISTRICT_COUNCIL},
            )
        results = []
        for login in DEMO_LOGINS:
            user = User.objects.filter(email=login.email).first()
            created = user is None
            if created:
                user = User(email=login.email)
                user.set_password(password)
            user.full_name = login.full_name
            user.role = login.role
            user.organisation = organisations[login.email]
            # The national team's admin may also use the data administration site.
            user.is_staff = user.is_superuser = login.role == Role.ADMIN
            user.full_clean(exclude=["password"])
            user.save()
            results.append((login, created))
        partnership = Partnership.objects.get(area=area, organisation=partner)
        PartnerRepresentative.objects.get_or_create(
            partnership=partnership,
            user=User.objects.get(email="partner@example.org"),
            defaults={"access": AccessLevel.COMMENT},
        )
        _demo_funding_catalogue()
        _demo_agreement(area)
        _demo_timetable()
        _demo_negotiations(password)
        _demo_signing(password)
        _demo_versions(password)
        _demo_refresh()
        _demo_freedoms()
    return results


def _demo_freedoms() -> None:
    """Policy owners, a negotiating brief, answered requests in the register and an overdue
    referral."""

    dcsf = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT, abbreviation="DCSF")
    official = User.objects.get(email="official@example.org")
    negotiator = User.objects.get(email="negotiator@example.org")
    PolicyOwner.objects.get_or_create(department=dcsf, user=official, is_laa_lead=True)
    round_ = Round.objects.get(slug="2008-11")
    NegotiatingBrief.objects.get_or_create(
        round=round_,
        department=dcsf,
        defaults={
            "topics": "Pooling of children's services grants; reporting on specific grants",
            "positions": "GOs may agree annual rather than quarterly reporting on the "
            "Children's Fund.",
            "no_go": "No waiver of statutory education targets.",
            "author": official,
        },
    )
    if FreedomRequest.objects.exists():
        return
    examples = [
        (
            "Lancashire",
            "Pool Connexions funding into the children's trust budget",
            "Connexions grant conditions require a separate budget and audit trail.",
            "Pool the Connexions grant with other children's services funding.",
            (
                "answer",
                "agreed_in_part",
                "Pooling is possible from April 2009, not 2008.",
                "Align the budgets in 2008/09 and pool from 2009/10.",
            ),
        ),
        (
            "Manchester",
            "Annual rather than quarterly reporting on the Children's Fund",
            "Quarterly monitoring returns take two officers a week each quarter.",
            "Report once a year through the LAA performance framework.",
            ("answer", "refused", "Quarterly returns feed the national evaluation until 2009.", ""),
        ),
        (
            "Lancashire",
            "Lift the ring-fence on the Supporting People grant",
            "The ring-fence stops the partnership moving money to preventive housing support.",
            "Remove the ring-fence for the life of the agreement.",
            None,
        ),
    ]
    for area_name, title, obstacle, ask, answer in examples:
        agreement = Agreement.objects.get(area__name=area_name, round=round_)
        coordinator = User.objects.filter(
            role=Role.COORDINATOR, organisation__area=agreement.area
        ).first()
        request = freedoms.request_create(
            agreement=agreement,
            actor=coordinator,
            fields=freedoms.RequestFields(
                title=title,
                obstacle_kind="funding_condition",
                obstacle=obstacle,
                ask=ask,
                proposed_departments=(dcsf,),
            ),
        )
        freedoms.request_move(
            request=request, actor=coordinator, move=Move.SUBMIT, expected_state=State.DRAFT
        )
        freedoms.request_move(
            request=request,
            actor=negotiator,
            move=Move.REFER,
            expected_state=State.WITH_GO,
            department=dcsf,
        )
        if answer is None:
            # A referral left unanswered past its due date.
            FreedomRequest.objects.filter(pk=request.pk).update(
                due_on=timezone.localdate() - dt.timedelta(days=3)
            )
            continue
        _, outcome, reason, alternative = answer
        freedoms.request_move(
            request=request,
            actor=official,
            move=Move.ANSWER,
            expected_state=State.WITH_DEPARTMENT,
            outcome=outcome,
            comment=reason,
            alternative=alternative,
        )
        freedoms.request_move(
            request=request, actor=negotiator, move=Move.RELAY, expected_state=State.ANSWERED
        )


# Extra coordinators whose agreements are further on, so every stage can be seen.
EXTRA_COORDINATORS = [
    ("lancashire.coordinator@example.org", "Lee Lancashire", "Lancashire"),
    ("manchester.coordinator@example.org", "Mo Manchester", "Manchester"),
]


# Two more GO North West areas, to show signing: Wigan signed; Blackpool in sign-off with
# its partner and council signatures made, waiting for the GO's recommendation.
SIGNING_COORDINATORS = [
    ("wigan.coordinator@example.org", "Wes Wigan", "Wigan", "signed"),
    ("blackpool.coordinator@example.org", "Bea Blackpool", "Blackpool", "go"),
    # Signed, then amended at the refresh (see _demo_refresh).
    ("bolton.coordinator@example.org", "Bo Bolton", "Bolton", "signed"),
]

# Stockport's agreement went round three times: each version answers the GO's challenge or
# required change on the one before, so compare shows real differences; it is now with the
# departments, DCSF's views given and DH's overdue.
VERSIONS_AREA = "Stockport"
VERSIONS_COORDINATOR = ("stockport.coordinator@example.org", "Sol Stockport")
REFRESH_AREA = "Bolton"


def finish_review(agreement, negotiator: User, *, rating: str = "strong") -> None:
    """End the GO's review as agreement in principle needs it: every criterion of the
    checklist rated, every remaining item agreed and every open request carried to the
    refresh, through the same services the pages use."""

    agreement.refresh_from_db()
    negotiation.review_checklist_save(
        agreement=agreement,
        actor=negotiator,
        entries=dict.fromkeys(ReviewRating.Criterion.values, (rating, "")),
        seen=negotiation.review_checklist_seen(agreement),
    )
    negotiation.items_agree_remaining(
        agreement=agreement,
        actor=negotiator,
        seen=readiness.fingerprint(
            readiness.items_to_agree(agreement), readiness.requests_not_settled(agreement)
        ),
    )


def _demo_signing(password: str) -> None:

    negotiator = User.objects.get(email="negotiator@example.org")
    admin = User.objects.get(email="admin@example.org")
    for email, name, area_name, until in SIGNING_COORDINATORS:
        area = Area.objects.get(name=area_name)
        coordinator = _demo_coordinator(email, name, area, password)
        pct, _ = Organisation.objects.get_or_create(
            slug=slugify(f"{area_name} Primary Care Trust demo"),
            defaults={
                "kind": Organisation.Kind.PARTNER,
                "name": f"{area_name} Primary Care Trust (demo)",
            },
        )
        Partnership.objects.get_or_create(
            area=area, organisation=pct, defaults={"partner_type": PartnerType.PCT}
        )
        agreement = _complete_draft(area, coordinator)
        if agreement is None:
            continue
        agreement.targets.filter(indicator__code="NI 120").update(lead_partner=pct)
        for action, actor, stage in (
            (Action.SUBMIT, coordinator, Stage.DRAFTING),
            (Action.START_REVIEW, negotiator, Stage.SUBMITTED),
        ):
            negotiation.agreement_transition(
                agreement=agreement, actor=actor, action=action, expected_stage=stage
            )
        finish_review(agreement, negotiator)
        for action, actor, stage in (
            (Action.AGREE_IN_PRINCIPLE, negotiator, Stage.IN_REVIEW),
            (Action.START_SIGN_OFF, negotiator, Stage.AGREED_IN_PRINCIPLE),
        ):
            negotiation.agreement_transition(
                agreement=agreement,
                actor=actor,
                action=action,
                expected_stage=stage,
                comment="Agreed at the negotiation meeting."
                if action.endswith("principle")
                else "",
            )
        run = signoff_selectors.open_sign_off(agreement)
        today = timezone.localdate()
        common = {"signed_on": today}
        steps = [
            (StepKind.PARTNERS, coordinator, pct, "Dr Jo Hughes", "Chief Executive, the PCT"),
            (
                StepKind.COUNCIL,
                coordinator,
                area.organisations.get(kind=Organisation.Kind.LOCALITY),
                "Cllr Sam Ward",
                "Leader of the Council",
            ),
            (
                StepKind.GO,
                negotiator,
                area.government_office,
                negotiator.full_name,
                "GO lead negotiator",
            ),
            (
                StepKind.MINISTER,
                admin,
                signoff_selectors.national_team(),
                "The Minister for Local Government",
                "Minister of State, Communities and Local Government",
            ),
        ]
        for kind, actor, organisation, signatory, role in steps:
            if kind == until:
                break
            choices = signoff_selectors.commitment_choices(run.version.content, organisation.name)
            signoff.signature_record(
                agreement=agreement,
                actor=actor,
                step=kind,
                organisation=organisation,
                version_number=run.version.number,
                fields=signoff.SignatureFields(
                    signatory_name=signatory,
                    signatory_role=role,
                    targets=[c["key"] for c in choices["targets"] if c["as"]],
                    funding=[c["key"] for c in choices["funding"] if c["as"]],
                    meeting=f"Full council, {today:%-d %B %Y}",
                    regional_director="Keith Regional",
                    vcs_confirmed=True,
                    **common,
                ),
            )


def _demo_coordinator(email: str, name: str, area: Area, password: str) -> User:
    coordinator = User.objects.filter(email=email).first()
    if coordinator is None:
        coordinator = User.objects.create_user(
            email=email,
            password=password,
            full_name=name,
            role=Role.COORDINATOR,
            organisation=area.organisations.get(kind=Organisation.Kind.LOCALITY),
        )
    return coordinator


def _demo_timetable() -> None:
    """Dates for the current round's milestones around today, as an admin would set them."""

    admin = User.objects.get(email="admin@example.org")
    today = timezone.localdate()
    offsets = {
        "First draft to Government Office": -14,
        "Further draft": 21,
        "Final submission": 60,
        "Signature": 120,
    }
    for milestone in Milestone.objects.filter(round__slug="2008-11", name__in=offsets):
        if milestone.history.filter(history_user__isnull=False).exists():
            continue  # already set in the portal
        milestone.due_on = today + dt.timedelta(days=offsets[milestone.name])
        milestone._history_user = admin
        milestone._change_reason = "Demo timetable"
        milestone.save()


def _complete_draft(area: Area, coordinator: User):

    round_ = Round.objects.get(slug="2008-11")
    agreement, created = agreement_services.agreement_open(
        area=area, round=round_, actor=coordinator
    )
    if not created:
        return None
    agreement = agreement_services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place=f"{area.name}'s partnership puts children, health and work first.",
        governance="The Local Strategic Partnership board holds partners to account quarterly.",
    )
    theme = agreement_services.agreement_theme_add(
        agreement=agreement,
        actor=coordinator,
        theme=round_.themes.get(name="Children and young people"),
    )
    agreement_services.outcome_create(
        agreement=agreement,
        actor=coordinator,
        agreement_theme=theme,
        title="Every child achieves their potential",
    )
    lead = area.organisations.get(kind=Organisation.Kind.LOCALITY)
    for code, baseline, values in [
        ("NI 56", "10.2", ("10.0", "9.8", "9.5")),
        ("NI 117", "7.1", ("6.8", "6.5", "6.2")),
        ("NI 120", "720", ("705", "690", "680")),
    ]:
        agreement_services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=agreement_services.TargetFields(
                indicator=Indicator.objects.get(code=code),
                baseline_value=Decimal(baseline),
                baseline_year="2007/08",
                yearly_values=tuple(Decimal(v) for v in values),
                lead_partner=lead,
            ),
        )
    return agreement


def _demo_negotiations(password: str) -> None:
    """Lancashire in GO review with open challenges; Manchester referred to departments."""

    negotiator = User.objects.get(email="negotiator@example.org")
    for email, name, area_name in EXTRA_COORDINATORS:
        area = Area.objects.get(name=area_name)
        coordinator = _demo_coordinator(email, name, area, password)
        agreement = _complete_draft(area, coordinator)
        if agreement is None:
            continue
        negotiation.agreement_transition(
            agreement=agreement,
            actor=coordinator,
            action=Action.SUBMIT,
            expected_stage=Stage.DRAFTING,
            comment="Our first draft.",
        )
        negotiation.agreement_transition(
            agreement=agreement,
            actor=negotiator,
            action=Action.START_REVIEW,
            expected_stage=Stage.SUBMITTED,
        )
        target = agreement.targets.get(indicator__code="NI 56")
        if area_name == "Lancashire":
            negotiation.comment_add(
                agreement=agreement,
                actor=negotiator,
                kind=Comment.Kind.CHALLENGE,
                visibility=Comment.Visibility.LOCALITY,
                target=target,
                body="A fall of 0.7 points over three years is less than the county's "
                "recent trend. Justify the trajectory or raise it.",
            )
            negotiation.comment_add(
                agreement=agreement,
                actor=negotiator,
                kind=Comment.Kind.REQUIRED_CHANGE,
                visibility=Comment.Visibility.LOCALITY,
                section=Comment.Section.STORY,
                body="The story of place needs the evidence behind the priorities.",
            )
            negotiation.comment_add(
                agreement=agreement,
                actor=negotiator,
                visibility=Comment.Visibility.GO_INTERNAL,
                body="The regional adviser thinks 9.0 is achievable by 2010/11.",
            )
        else:
            negotiation.agreement_transition(
                agreement=agreement,
                actor=negotiator,
                action=Action.REFER,
                expected_stage=Stage.IN_REVIEW,
            )


# Examples of funding streams of the period, for the demo catalogue.
DEMO_FUNDING_STREAMS = [
    ("Area Based Grant", "CLG", "area_based_grant"),
    ("Supporting People", "CLG", "specific_grant"),
    ("Neighbourhood Renewal Fund", "CLG", "specific_grant"),
    ("Children's Fund", "DCSF", "specific_grant"),
    ("Drug Intervention Programme", "HO", "specific_grant"),
    ("Primary care trust mainstream budget", "DH", "mainstream"),
]


def _demo_funding_catalogue() -> None:

    round_ = Round.objects.get(slug="2008-11")
    for name, department, kind in DEMO_FUNDING_STREAMS:
        FundingStream.objects.get_or_create(
            round=round_,
            name=name,
            defaults={
                "kind": kind,
                "department": Organisation.objects.get(
                    kind=Organisation.Kind.DEPARTMENT, abbreviation=department
                ),
            },
        )


def _demo_agreement(area: Area) -> None:
    """Cumbria's 2008-11 agreement, drafted part-way, through the same services people use."""

    round_ = Round.objects.get(slug="2008-11")
    coordinator = User.objects.get(email="coordinator@example.org")
    agreement, created = agreement_services.agreement_open(
        area=area, round=round_, actor=coordinator
    )
    if not created:
        return
    agreement = agreement_services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place=(
            "Cumbria is England's second largest county and one of its most sparsely "
            "populated. Our partnership's priorities are:\n\n"
            "- healthier lives, narrowing the gap between our most and least deprived wards;\n"
            "- safer communities in our towns and along the West Cumbrian coast;\n"
            "- a stronger local economy as the nuclear industry changes.\n"
        ),
        governance="",
        reason="First draft",
    )
    health = agreement_services.agreement_theme_add(
        agreement=agreement,
        actor=coordinator,
        theme=round_.themes.get(name="Adult health and wellbeing"),
    )
    agreement_services.agreement_theme_add(
        agreement=agreement, actor=coordinator, theme=round_.themes.get(name="Safer communities")
    )
    outcome = agreement_services.outcome_create(
        agreement=agreement,
        actor=coordinator,
        agreement_theme=health,
        title="People live longer, healthier lives",
    )
    locality = area.organisations.get(kind=Organisation.Kind.LOCALITY)
    pct = Organisation.objects.get(slug="demo-cumbria-primary-care-trust")
    for code, baseline, values, lead in [
        ("NI 120", "712", ("700", "688", "675"), pct),
        ("NI 39", "2310", ("2250", "2200", "2150"), pct),
        ("NI 152", "11.9", ("11.5", None, None), locality),
        ("NI 16", None, (None, None, None), None),
    ]:
        agreement_services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=agreement_services.TargetFields(
                indicator=Indicator.objects.get(code=code),
                outcome=outcome if code == "NI 120" else None,
                baseline_value=Decimal(baseline) if baseline else None,
                baseline_year="2007/08" if baseline else "",
                yearly_values=tuple(Decimal(v) if v else None for v in values),
                lead_partner=lead,
            ),
        )
    agreement_services.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="local",
        fields=agreement_services.TargetFields(
            local_title="Households in fuel poverty helped by the Warm Homes scheme",
            local_definition="Households given insulation or heating by the scheme each year.",
            units="households",
            polarity="higher",
            yearly_values=(Decimal(400), Decimal(450), Decimal(500)),
            baseline_value=Decimal(350),
            baseline_year="2007/08",
            lead_partner=locality,
        ),
    )
    agreement_services.funding_create(
        agreement=agreement,
        actor=coordinator,
        stream=FundingStream.objects.get(round=round_, name="Primary care trust mainstream budget"),
        fields=agreement_services.FundingFields(
            provider=pct,
            arrangement="aligned",
            yearly_amounts=(Decimal(1_200_000), Decimal(1_250_000), Decimal(1_300_000)),
            outcomes=(outcome,),
        ),
    )


def _demo_versions(password: str) -> None:
    """Stockport: submitted, challenged, returned, answered with new figures, submitted again,
    returned once more for a required change, submitted a third time and referred. DCSF has
    given its views; DH's referral is past its due date."""

    negotiator = User.objects.get(email="negotiator@example.org")
    official = User.objects.get(email="official@example.org")
    area = Area.objects.get(name=VERSIONS_AREA)
    email, name = VERSIONS_COORDINATOR
    coordinator = _demo_coordinator(email, name, area, password)
    agreement = _complete_draft(area, coordinator)
    if agreement is None:
        return

    def move(actor: User, action: str, stage: str, comment: str = "") -> None:
        negotiation.agreement_transition(
            agreement=agreement,
            actor=actor,
            action=action,
            expected_stage=stage,
            comment=comment,
        )
        agreement.refresh_from_db()

    def change_target(code: str, values: tuple[str, str, str], reason: str) -> None:
        target = agreement.targets.get(indicator__code=code)
        agreement_services.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            fields=agreement_services.TargetFields(
                indicator=target.indicator,
                baseline_value=target.baseline_value,
                baseline_year=target.baseline_year,
                yearly_values=tuple(Decimal(v) for v in values),
                lead_partner=target.lead_partner,
            ),
            reason=reason,
        )

    def answer(raised: Comment, body: str) -> None:
        negotiation.comment_add(
            agreement=agreement,
            actor=coordinator,
            visibility=Comment.Visibility.LOCALITY,
            parent=raised,
            body=body,
        )
        negotiation.comment_propose_closing(comment=raised, actor=coordinator)

    # Version 1, challenged and returned.
    move(coordinator, Action.SUBMIT, Stage.DRAFTING, "Our first draft.")
    move(negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    challenge = negotiation.comment_add(
        agreement=agreement,
        actor=negotiator,
        kind=Comment.Kind.CHALLENGE,
        visibility=Comment.Visibility.LOCALITY,
        target=agreement.targets.get(indicator__code="NI 56"),
        body="A fall of 0.7 points over three years is less than the borough's recent trend. "
        "Justify the trajectory or raise it.",
    )
    move(
        negotiator,
        Action.RETURN,
        Stage.IN_REVIEW,
        "Returned for revision: the challenge on childhood obesity needs answering first.",
    )

    # Version 2 answers the challenge with a steeper trajectory.
    change_target("NI 56", ("9.6", "9.0", "8.4"), "Raised after the GO's challenge")
    answer(
        challenge,
        "The PCT has funded a second school nurse team: we have raised the target to a fall "
        "of 1.8 points by 2010/11.",
    )
    move(coordinator, Action.SUBMIT, Stage.RETURNED, "Revised after the GO's challenge.")
    move(negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    negotiation.comment_resolve(
        comment=challenge, actor=negotiator, resolution=Comment.Resolution.ANSWERED
    )
    required = negotiation.comment_add(
        agreement=agreement,
        actor=negotiator,
        kind=Comment.Kind.REQUIRED_CHANGE,
        visibility=Comment.Visibility.LOCALITY,
        section=Comment.Section.STORY,
        body="The story of place needs the evidence behind the priorities.",
    )
    move(
        negotiator,
        Action.RETURN,
        Stage.IN_REVIEW,
        "Returned so that the story of place sets out its evidence.",
    )

    # Version 3: the evidence added and a target revised with the new data.
    agreement = agreement_services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place=(
            f"{area.name}'s partnership puts children, health and work first. The 2007 "
            "joint strategic needs assessment found one child in ten obese at the end of "
            "primary school, and the gap in life expectancy between our wards is nine years."
        ),
        governance=agreement.governance,
        reason="Evidence added at the GO's request",
    )
    change_target("NI 120", ("700", "680", "660"), "The 2007/08 data came in lower")
    answer(required, "The story of place now cites the joint strategic needs assessment.")
    move(coordinator, Action.SUBMIT, Stage.RETURNED, "The evidence added.")
    move(negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    negotiation.comment_resolve(
        comment=required, actor=negotiator, resolution=Comment.Resolution.ACCEPTED
    )
    move(negotiator, Action.REFER, Stage.IN_REVIEW)

    # DCSF answers its referral; DH's is left past its due date.
    dcsf = agreement.referrals.get(department=official.organisation)
    negotiation.referral_views_save(
        referral=dcsf,
        actor=official,
        answers=[
            negotiation.ViewAnswer(
                target=agreement.targets.get(indicator__code="NI 117"),
                opinion=TargetView.Opinion.CONCERNS,
                comment="Ambitious given the county's rise in 2007; we will watch the trend.",
            )
        ],
        send=True,
        summary="We support the target in our field, with the concern noted.",
    )
    agreement.referrals.exclude(pk=dcsf.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )


def _demo_refresh() -> None:
    """The national team opens the round's refresh; Bolton, signed, starts an amendment with
    a new trajectory and its reason."""

    admin = User.objects.get(email="admin@example.org")
    agreement = Agreement.objects.select_related("round").get(
        area__name=REFRESH_AREA, round__slug="2008-11"
    )
    if agreement.stage != Stage.SIGNED or agreement.signed_version_id is None:
        return
    if agreement.stage_changes.filter(action=Action.START_AMENDMENT).exists():
        return
    coordinator = User.objects.get(email="bolton.coordinator@example.org")
    signoff.round_refresh_open(round=agreement.round, actor=admin)
    agreement.round.refresh_from_db()
    negotiation.agreement_transition(
        agreement=agreement,
        actor=coordinator,
        action=Action.START_AMENDMENT,
        expected_stage=Stage.SIGNED,
        comment="The 2008 Place Survey baselines have arrived.",
    )
    agreement.refresh_from_db()
    target = agreement.targets.get(indicator__code="NI 117")
    agreement_services.target_update(
        target=target,
        actor=coordinator,
        expected_version=target.version,
        fields=agreement_services.TargetFields(
            indicator=target.indicator,
            baseline_value=target.baseline_value,
            baseline_year=target.baseline_year,
            yearly_values=(Decimal("6.6"), Decimal("6.2"), Decimal("5.8")),
            lead_partner=target.lead_partner,
        ),
        reason="",
    )
    negotiation.amendment_reasons_save(
        agreement=agreement,
        actor=coordinator,
        reasons={
            item.key: "Connexions data for 2008 shows a faster fall than the first draft assumed."
            for item in working_changes(agreement)
        },
    )
