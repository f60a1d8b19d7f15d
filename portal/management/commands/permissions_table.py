"""Print who may do what: every permission, for each demo person, on a set of objects in
each state that matters to it. Uses the demo data (run `seed_demo` first); the objects'
stages and states are set in memory, never saved. The cases of an agreement referred to the
official's department are asked while a referral exists only inside a transaction that is
rolled back, so the database is left as it was.

Every registered permission must appear in the table: a new one without a place here
stops the command, so the table and its test keep up with the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import rules
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Area, Organisation, User
from agreements.models import Agreement
from agreements.stages import Stage
from core.roles import Role
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest
from indicators.models import Round
from jobs.models import Job, Kind
from negotiations.models import Comment, Referral, Version
from partners.models import PartnerRepresentative, Partnership
from people.permissions import Placement
from signoff.models import StepKind
from signoff.permissions import Slot

# The demo logins, in the table's order. Cumbria is the coordinator's, partner's and
# negotiator's area (under GO North West); Leeds is coordinator2's, under another GO.
PEOPLE = (
    ("coordinator", "coordinator@example.org"),
    ("coordinator2", "coordinator2@example.org"),
    ("partner", "partner@example.org"),
    ("negotiator", "negotiator@example.org"),
    ("official", "official@example.org"),
    ("admin", "admin@example.org"),
)


@dataclass(frozen=True)
class Case:
    subject: str
    state: str
    obj: object
    # Asked while the agreement is referred to the official's department.
    referred: bool = False


def _agreement(area: Area, round_, stage: str, *, signed: bool = False) -> Agreement:
    agreement = Agreement.objects.filter(area=area, round=round_).first() or Agreement(
        area=area, round=round_
    )
    agreement.stage = stage
    # Only whether there is a signed version matters to the rules, never which.
    agreement.signed_version_id = (agreement.signed_version_id or 0) if signed else None
    return agreement


def _agreements(round_) -> list[Case]:
    """Each stage (a signed agreement with its signed version), and an amendment of a
    signed agreement being drafted."""
    cases = []
    for name in ("Cumbria", "Leeds"):
        area = Area.objects.get(name=name)
        cases += [
            Case(name, stage, _agreement(area, round_, stage, signed=stage == Stage.SIGNED))
            for stage in Stage
        ]
        cases.append(Case(name, "amending", _agreement(area, round_, Stage.DRAFTING, signed=True)))
    return cases


def _referred_agreements(round_, department: Organisation) -> list[Case]:
    """Cumbria in each stage, asked while it is referred to the official's department."""
    area = Area.objects.get(name="Cumbria")
    subject = f"Cumbria referred to {department.abbreviation}"
    cases = [
        Case(subject, stage, _agreement(area, round_, stage, signed=stage == Stage.SIGNED), True)
        for stage in Stage
    ]
    cases.append(
        Case(subject, "amending", _agreement(area, round_, Stage.DRAFTING, signed=True), True)
    )
    return cases


def _requests(cumbria: Agreement, department: Organisation) -> list[Case]:
    subject = f"Cumbria's request routed to {department.abbreviation}"
    return [
        Case(
            subject,
            state,
            FreedomRequest(agreement=cumbria, number=1, department=department, state=state),
        )
        for state in State
    ]


# Who may have written a comment on Cumbria: its locality, its GO, the official (once
# referred) and the national team; coordinator2, of another area, never can.
AUTHORS = ("coordinator", "partner", "negotiator", "official", "admin")


def _comments(cumbria: Agreement, users: dict[str, User]) -> list[Case]:
    authors = [("no one (account removed)", None)] + [(name, users[name]) for name in AUTHORS]
    return [
        Case("Cumbria's comment", f"by {label}", Comment(agreement=cumbria, author=author))
        for label, author in authors
    ]


def _slots(cumbria: Agreement, users: dict[str, User]) -> list[Case]:
    represented = (
        PartnerRepresentative.objects.filter(user=users["partner"], partnership__area=cumbria.area)
        .select_related("partnership__organisation")
        .first()
    )
    own = represented.partnership.organisation
    other = (
        Partnership.objects.filter(area=cumbria.area)
        .exclude(organisation=own)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    slots = [("partners step, the partner's own organisation", StepKind.PARTNERS, own)]
    if other is not None:
        slots.append(("partners step, another partner", StepKind.PARTNERS, other.organisation))
    slots += [
        ("council step", StepKind.COUNCIL, users["coordinator"].organisation),
        ("GO step", StepKind.GO, users["negotiator"].organisation),
        ("Minister step", StepKind.MINISTER, users["admin"].organisation),
    ]
    return [
        Case("Cumbria's signature", label, Slot(cumbria, kind, organisation))
        for label, kind, organisation in slots
    ]


def _other(kind: str, own: Organisation) -> Organisation:
    return Organisation.objects.filter(kind=kind).exclude(pk=own.pk).order_by("name").first()


def _organisations(users: dict[str, User]) -> list[Case]:
    go = users["negotiator"].organisation
    return [
        Case("organisation", "Cumbria's council", users["coordinator"].organisation),
        Case("organisation", "Leeds's council", users["coordinator2"].organisation),
        Case("organisation", "Cumbria's partner", users["partner"].organisation),
        Case("organisation", f"{go.name} (the negotiator's)", go),
        Case("organisation", "another GO", _other(Organisation.Kind.GOVERNMENT_OFFICE, go)),
        Case("organisation", "the official's department", users["official"].organisation),
        Case("organisation", "the national team", users["admin"].organisation),
    ]


def _placements(users: dict[str, User]) -> list[Case]:
    """Where an invitation would put someone: each role in an organisation of its kind."""
    department = users["official"].organisation
    go = users["negotiator"].organisation
    return [
        Case(
            "invite",
            "coordinator of Cumbria",
            Placement(users["coordinator"].organisation, Role.COORDINATOR),
        ),
        Case(
            "invite",
            "coordinator of Leeds",
            Placement(users["coordinator2"].organisation, Role.COORDINATOR),
        ),
        Case(
            "invite", "partner of Cumbria", Placement(users["partner"].organisation, Role.PARTNER)
        ),
        Case("invite", "negotiator of the negotiator's GO", Placement(go, Role.NEGOTIATOR)),
        Case(
            "invite", "official of the official's department", Placement(department, Role.OFFICIAL)
        ),
        Case(
            "invite",
            "official of another department",
            Placement(_other(Organisation.Kind.DEPARTMENT, department), Role.OFFICIAL),
        ),
        Case("invite", "admin", Placement(users["admin"].organisation, Role.ADMIN)),
    ]


def _tokens(users: dict[str, User]) -> list[Case]:
    """API tokens, unsaved: the API app is beside this one, so its model is looked up."""
    token = apps.get_model("api", "ApiToken")
    return [
        Case("API token", "the coordinator's own", token(user=users["coordinator"])),
        Case(
            "API token",
            "GO North West's system's",
            token(organisation=users["negotiator"].organisation),
        ),
    ]


def cases_by_kind(users: dict[str, User]) -> dict[str, list[Case]]:
    round_ = Round.objects.get(slug="2008-11")
    cumbria = _agreement(Area.objects.get(name="Cumbria"), round_, Stage.DRAFTING)
    department = users["official"].organisation
    other_department = _other(Organisation.Kind.DEPARTMENT, department)
    go = users["negotiator"].organisation
    other_go = _other(Organisation.Kind.GOVERNMENT_OFFICE, go)
    return {
        "none": [Case("-", "", None)],
        "agreement": _agreements(round_) + _referred_agreements(round_, department),
        "request": _requests(cumbria, department),
        "comment": _comments(cumbria, users),
        "referral": [
            Case(
                "Cumbria's referral",
                f"to {d.abbreviation}",
                Referral(agreement=cumbria, department=d),
            )
            for d in (department, other_department)
        ],
        "slot": _slots(cumbria, users),
        "department": [
            Case("department", f"{department.abbreviation} (the official's)", department),
            Case("department", other_department.abbreviation, other_department),
            Case("department", "none (the national team's part)", None),
        ],
        "government_office": [
            Case("region", f"{go.name} (the negotiator's)", go),
            Case("region", other_go.name, other_go),
        ],
        "area": [Case("area", name, Area.objects.get(name=name)) for name in ("Cumbria", "Leeds")],
        "person": [
            Case("person", name, users[name])
            for name in ("coordinator", "coordinator2", "partner", "negotiator", "admin")
        ],
        "organisation": _organisations(users),
        "placement": _placements(users),
        "token": _tokens(users),
        "job": [
            Case(
                "job",
                "Cumbria's PDF, asked for by the coordinator",
                Job(kind=Kind.AGREEMENT_PDF, agreement=cumbria, requested_by=users["coordinator"]),
            ),
            Case(
                "job",
                "a round's export, asked for by the admin",
                Job(kind=Kind.TARGETS_CSV, round=round_, requested_by=users["admin"]),
            ),
        ],
    }


# Which kind of object each permission is asked about.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "none": (
        "accounts.view_directory",
        "accounts.list_own_areas",
        "accounts.see_lead_indicators",
        "accounts.see_work_list",
        "indicators.manage_rounds",
        "agreements.open_round",
        "agreements.open_own",
        "agreements.filter_by_government_office",
        "agreements.manage_funding_catalogue",
        "agreements.load_statutory_values",
        "agreements.assign_areas",
        "ambition.compare_with_submitted",
        "api.create_personal_token",
        "api.manage_organisation_tokens",
        "people.view_people",
        "people.import_people",
        "people.appoint_laa_lead",
        "dashboards.view_national",
        "dashboards.view_any",
        "jobs.run_exports",
        "performance.manage_reviews",
        "freedoms.see_routed_requests",
        "freedoms.see_overdue",
        "freedoms.see_figures",
        "freedoms.see_brief",
        "freedoms.read_brief_on_request",
    ),
    "agreement": (
        "agreements.see_agreement",
        "agreements.edit_draft",
        "agreements.manage_partners",
        "negotiations.move_agreement",
        "negotiations.negotiate_agreement",
        "negotiations.agree_items",
        "negotiations.oversee_agreement",
        "negotiations.see_referrals",
        "negotiations.read_internal_comments",
        "negotiations.read_locality_comments",
        "negotiations.read_department_comments",
        "negotiations.write_internal_comments",
        "negotiations.write_locality_comments",
        "negotiations.write_department_comments",
        "freedoms.draft_request",
        "performance.see_review",
        "performance.record_outturns",
    ),
    "request": (
        *(f"freedoms.{move}_request" for move in Move),
        "freedoms.edit_request",
        "freedoms.link_request",
        "freedoms.see_outcome",
        "freedoms.see_request",
        "freedoms.follow_late_request",
        "freedoms.act_on_request",
    ),
    "comment": ("negotiations.close_comment", "negotiations.propose_closing_comment"),
    "referral": ("negotiations.answer_referral",),
    "slot": ("signoff.sign_for",),
    "department": ("freedoms.write_brief", "freedoms.name_policy_owner"),
    "government_office": ("dashboards.view_region",),
    "area": ("accounts.see_area", "agreements.assign_area"),
    "person": ("people.manage_person", "accounts.reset_second_factor"),
    "organisation": ("people.view_organisation",),
    "placement": ("people.invite",),
    "token": ("api.revoke_token",),
    "job": ("jobs.see_job",),
}


def demo_people() -> dict[str, User]:
    users = {
        u.email: u
        for u in User.objects.select_related("organisation").filter(
            email__in=[email for _, email in PEOPLE]
        )
    }
    missing = [email for _, email in PEOPLE if email not in users]
    if missing:
        raise CommandError(f"No demo login {', '.join(missing)}: run seed_demo first.")
    return {name: users[email] for name, email in PEOPLE}


def _where(cases: list[Case], group: list[Case]) -> str:
    """The cases of a group, by subject: "Cumbria (drafting, returned); Leeds (any)"."""
    parts = []
    for subject in dict.fromkeys(case.subject for case in group):
        states = [case.state for case in group if case.subject == subject]
        every = [case.state for case in cases if case.subject == subject]
        if subject == "-":
            parts.append("-")
        elif states == every and len(every) > 1:
            parts.append(f"{subject} (any)")
        else:
            parts.append(f"{subject} ({', '.join(states)})")
    return "; ".join(parts)


def _refer(cases: dict[str, list[Case]], department: Organisation) -> None:
    """Refer the referred cases' agreement to the department (inside a transaction that
    the caller rolls back)."""
    for pk in {c.obj.pk for c in cases["agreement"] if c.referred}:
        version = Version.objects.filter(agreement_id=pk).last() or Version.objects.create(
            agreement_id=pk, number=1, content={}
        )
        Referral.objects.create(
            agreement_id=pk, department=department, version=version, due_on=date.today()
        )


def _answers(users, cases, *, referred: bool) -> dict[tuple[str, int], tuple[str, ...]]:
    """Who may, for each permission and each case asked in this state of the database."""
    return {
        (perm, id(case)): tuple(
            name for name, user in users.items() if user.has_perm(perm, case.obj)
        )
        for kind, perms in PERMISSIONS.items()
        for perm in perms
        for case in cases[kind]
        if case.referred is referred
    }


def table_rows(users: dict[str, User]) -> list[tuple[str, str, str]]:
    """(permission, objects in their states, who may), the states answered alike joined."""
    listed = [perm for perms in PERMISSIONS.values() for perm in perms]
    unlisted = sorted(set(rules.permissions.permissions) - set(listed))
    if unlisted:
        raise CommandError(f"Give these permissions a place in the table: {', '.join(unlisted)}")
    cases = cases_by_kind(users)
    answers = _answers(users, cases, referred=False)
    with transaction.atomic():
        _refer(cases, users["official"].organisation)
        answers |= _answers(users, cases, referred=True)
        transaction.set_rollback(True)
    rows = []
    for kind, perms in PERMISSIONS.items():
        for perm in perms:
            groups: dict[tuple[str, ...], list[Case]] = {}
            for case in cases[kind]:
                groups.setdefault(answers[perm, id(case)], []).append(case)
            for allowed, group in groups.items():
                rows.append((perm, _where(cases[kind], group), ", ".join(allowed) or "nobody"))
    return rows


def render_table(rows) -> str:
    return "".join(f"{perm} | {where} | {allowed}\n" for perm, where, allowed in rows)


class Command(BaseCommand):
    help = "Print each permission for each demo role on objects in each state."

    def handle(self, *args, **options):
        self.stdout.write(render_table(table_rows(demo_people())), ending="")
