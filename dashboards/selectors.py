"""The figures of a status dashboard: for the whole country or one Government Office's
areas, in one round.

`figures` reads everything in a fixed number of queries whatever the number of agreements
(seven, and four more to read the sign-off chains when any agreement is in sign-off),
never an agreement's narrative or a version's frozen content, and works the rest out in
Python with the
same rules the negotiation pages use: stages and whose turn from the workflow, the next
milestone from the timetable, open challenges as the negotiation counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.selectors import government_offices
from agreements.models import Agreement, Target
from agreements.stages import COURT, Party, Stage
from freedoms.lifecycle import OPEN_STATES, Outcome, State
from freedoms.models import FreedomRequest
from indicators.models import Round
from negotiations.selectors import (
    open_challenges_count,
    waiting_referrals,
    waiting_referrals_query,
    whose_turns,
    with_turn,
)
from negotiations.timetable import milestones_with_overrides, next_milestone, progress_annotations

POPULAR_INDICATORS = 10


@dataclass(frozen=True)
class Scope:
    """The whole country (no Government Office) or one Government Office's areas."""

    government_office: Organisation | None = None

    @property
    def is_national(self) -> bool:
        return self.government_office is None

    @property
    def name(self) -> str:
        go = self.government_office
        return "England" if go is None else go.name

    @property
    def title(self) -> str:
        go = self.government_office
        return "National status" if go is None else f"{go.name} status"

    @property
    def slug(self) -> str:
        go = self.government_office
        return "national" if go is None else go.slug

    def url(self, name: str = "dashboards:national") -> str:
        go = self.government_office
        if go is None:
            return reverse(name)
        return reverse(name.replace("national", "region"), args=[go.slug])

    def areas_filter(self, prefix: str = "") -> Q:
        go = self.government_office
        if go is None:
            return Q()
        return Q(**{f"{prefix}government_office_id": go.pk})


def scope_national(user: User) -> Scope:
    if not user.has_perm("dashboards.view_national"):
        raise Http404
    return Scope()


def scope_for_region(user: User, slug: str) -> Scope:
    """A Government Office's dashboard; one the user may not see answers 404 like a
    missing one."""
    own = user.organisation
    if own is not None and own.slug == slug and own.kind == Organisation.Kind.GOVERNMENT_OFFICE:
        government_office = own  # a negotiator's own GO, read with the user
    else:
        government_office = get_object_or_404(_with_area_count(government_offices()), slug=slug)
    if not user.has_perm("dashboards.view_region", government_office):
        raise Http404
    return Scope(government_office)


def _with_area_count(offices):
    return offices.annotate(area_count=Count("covered_areas"))


def scopes_for(user: User) -> list[Scope]:
    """Every dashboard the user may open: the national team's all ten, a negotiator's one."""
    if user.has_perm("dashboards.view_national"):
        return [Scope(), *(Scope(go) for go in government_offices())]
    if user.has_perm("dashboards.view_region", user.organisation):
        return [Scope(user.organisation)]
    return []


def dashboard_url_for(user: User) -> str | None:
    """Where the navigation's Dashboard item leads, without a query of its own."""
    if user.has_perm("dashboards.view_national"):
        return reverse("dashboards:national")
    organisation = user.organisation if user.organisation_id else None
    if organisation is not None and user.has_perm("dashboards.view_region", organisation):
        return reverse("dashboards:region", args=[organisation.slug])
    return None


# --- Figures ----------------------------------------------------------------------------


# The parties whose turn an opened agreement can be, in the order the tables show them.
TURN_PARTIES = [Party.LOCALITY, Party.GO, Party.DEPARTMENTS, Party.SIGNATORIES, Party.NOBODY]


@dataclass
class StageRow:
    """How many of a Government Office's areas are at each stage."""

    government_office: Organisation
    areas: int
    by_stage: dict[str, int]
    # Whose court the opened agreements are in, and how many are past a milestone.
    by_party: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TURN_PARTIES, 0))
    overdue: int = 0
    most_days_overdue: int = 0
    # Agreements with open challenges or required changes, and how many those are.
    challenged: int = 0
    open_challenges: int = 0

    @property
    def turns(self) -> list[int]:
        return [self.by_party[party] for party in TURN_PARTIES]

    @property
    def opened(self) -> int:
        return sum(self.by_stage.values())

    @property
    def not_opened(self) -> int:
        return self.areas - self.opened

    @property
    def counts(self) -> list[int]:
        return [self.by_stage[stage] for stage in Stage.values]


@dataclass
class AgreementRow:
    agreement: Agreement
    whose_turn: str
    milestone: str
    due_on: dt.date | None
    days_overdue: int
    open_challenges: int
    referrals_waiting: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def url(self) -> str:
        agreement = self.agreement
        return reverse("negotiations:negotiation", args=[agreement.round.slug, agreement.area.slug])


@dataclass(frozen=True)
class Waiting:
    """One referral or request waiting on a department, as the regional tables list it."""

    label: str
    url: str = ""


@dataclass
class Outstanding:
    """Referrals or requests waiting on one department, with how long they have waited."""

    department: str
    items: list = field(default_factory=list)
    ages: list[int] = field(default_factory=list)
    overdue: int = 0

    @property
    def count(self) -> int:
        return len(self.ages)

    @property
    def oldest_days(self) -> int:
        return max(self.ages, default=0)

    @property
    def average_days(self) -> float:
        return sum(self.ages) / len(self.ages) if self.ages else 0.0


@dataclass(frozen=True)
class PopularIndicator:
    code: str
    title: str
    slug: str
    areas: int


@dataclass
class Figures:
    scope: Scope
    round: Round
    today: dt.date
    stages: list[tuple[str, str]]
    parties: list[str]
    by_government_office: list[StageRow]
    stage_totals: dict[str, int]
    agreements: list[AgreementRow]
    referrals: list[Outstanding]
    requests: list[Outstanding]
    requests_by_outcome: list[tuple[str, int]]
    requests_open: int
    popular_indicators: list[PopularIndicator]

    @property
    def areas(self) -> int:
        return sum(row.areas for row in self.by_government_office)

    @property
    def opened(self) -> int:
        return sum(row.opened for row in self.by_government_office)

    @property
    def not_opened(self) -> int:
        return sum(row.not_opened for row in self.by_government_office)

    @property
    def overdue(self) -> list[AgreementRow]:
        """A region's agreements past a milestone (the national figures count them only)."""
        return sorted(
            (row for row in self.agreements if row.overdue),
            key=lambda row: (-row.days_overdue, row.agreement.area.name),
        )

    @property
    def with_open_challenges(self) -> list[AgreementRow]:
        return [row for row in self.agreements if row.open_challenges]

    @property
    def open_challenges(self) -> int:
        return sum(row.open_challenges for row in self.by_government_office)

    @property
    def challenged(self) -> int:
        return sum(row.challenged for row in self.by_government_office)

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue for row in self.by_government_office)

    @property
    def most_days_overdue(self) -> int:
        return max((row.most_days_overdue for row in self.by_government_office), default=0)

    @property
    def referrals_waiting(self) -> int:
        return sum(row.count for row in self.referrals)

    @property
    def turn_total_list(self) -> list[int]:
        return [sum(row.by_party[p] for row in self.by_government_office) for p in TURN_PARTIES]

    @property
    def stage_total_list(self) -> list[int]:
        return [self.stage_totals[stage] for stage in Stage.values]


# What the national figures read of each agreement (and `next_milestone` of its progress).
NATIONAL_FIELDS = (
    "pk",
    "area_id",
    "government_office_id",
    "stage",
    "open_challenges",
    *progress_annotations(),
)


def _age(since: dt.datetime | None, today: dt.date, tz) -> int:
    return (today - since.astimezone(tz).date()).days if since else 0


def figures(*, scope: Scope, round_: Round, today: dt.date | None = None) -> Figures:
    today = today or timezone.localdate()
    in_scope = scope.areas_filter("area__")
    agreement_scope = Q(agreement__round=round_) & scope.areas_filter("agreement__area__")

    # The Government Offices in scope, each with its number of areas, in one query (none
    # when the scope's own office was read with its count).
    # Government Office rows annotated with `area_count`.
    offices: list[Any]
    own = scope.government_office
    if own is not None and getattr(own, "area_count", None) is not None:
        offices = [own]
    else:
        offices = list(
            _with_area_count(government_offices()).filter(
                pk=scope.government_office.pk if scope.government_office else F("pk")
            )
        )
    in_round = (
        Agreement.objects.filter(in_scope, round=round_)
        .annotate(
            government_office_id=F("area__government_office_id"),
            open_challenges=open_challenges_count(),
            **progress_annotations(),
        )
        .order_by("area__name")
    )
    referrals: dict[str, Outstanding] = {}
    tz = timezone.get_current_timezone()

    def wait(department: str, label: str, created_at, due_on) -> None:
        entry = referrals.setdefault(department, Outstanding(department))
        if label:
            entry.items.append(Waiting(label))
        entry.ages.append(_age(created_at, today, tz))
        entry.overdue += due_on < today

    if scope.is_national:
        # The country's tables count: each agreement is read as a few plain values, and
        # the waiting referrals likewise, however many areas there are.
        # Agreements, or on the national tables plain stand-ins with the columns they read.
        agreements: list[Any] = [
            SimpleNamespace(**dict(zip(NATIONAL_FIELDS, values, strict=True)))
            for values in in_round.values_list(*NATIONAL_FIELDS)
        ]
        waiting_on: dict[int, int] = {}
        for agreement_id, abbreviation, name, created_at, due_on in (
            waiting_referrals_query()
            .filter(agreement__round=round_)
            .values_list(
                "agreement_id",
                "department__abbreviation",
                "department__name",
                "created_at",
                "due_on",
            )
        ):
            waiting_on[agreement_id] = waiting_on.get(agreement_id, 0) + 1
            wait(abbreviation or name, "", created_at, due_on)
        turns = {}
    else:
        agreements = list(with_turn(in_round).defer("story_of_place", "governance"))
        waiting_on = {}
        for agreement in agreements:
            agreement.round = round_
            for referral in waiting_referrals(agreement):
                waiting_on[agreement.pk] = waiting_on.get(agreement.pk, 0) + 1
                wait(
                    referral.department.short_name,
                    agreement.area.name,
                    referral.created_at,
                    referral.due_on,
                )
        # Whose turn in words is for a region's tables; the national ones count by party.
        turns = dict(whose_turns(agreements))
    milestones, overrides = milestones_with_overrides(round_)

    # Agreements: stage by Government Office, whose turn, next milestone, referrals waiting.
    by_office = {
        go.pk: StageRow(go, go.area_count, dict.fromkeys(Stage.values, 0)) for go in offices
    }
    rows: list[AgreementRow] = []
    for agreement in agreements:
        office = by_office[agreement.government_office_id]
        office.by_stage[agreement.stage] += 1
        status = next_milestone(
            agreement,
            milestones=milestones,
            overrides=overrides.get(agreement.area_id, {}),
            today=today,
        )
        waiting = waiting_on.get(agreement.pk, 0)
        party = COURT[agreement.stage]
        if party == Party.DEPARTMENTS and not waiting:
            party = Party.GO  # every department has answered: back with the GO
        office.by_party[party] += 1
        days_left = status.days_left if status else None
        days_overdue = max(0, -days_left) if days_left is not None else 0
        if agreement.open_challenges:
            office.challenged += 1
            office.open_challenges += agreement.open_challenges
        if days_overdue:
            office.overdue += 1
            office.most_days_overdue = max(office.most_days_overdue, days_overdue)
        if not scope.is_national:
            rows.append(
                AgreementRow(
                    agreement=agreement,
                    whose_turn=turns.get(agreement, ""),
                    milestone=status.milestone.name if status else "",
                    due_on=status.due_on if status else None,
                    days_overdue=days_overdue,
                    open_challenges=agreement.open_challenges,
                    referrals_waiting=waiting,
                )
            )

    # Freedoms and flexibilities requests: answers by outcome counted in the database, and
    # the open ones (a minority) read with only the columns the tables show.
    submitted = FreedomRequest.objects.filter(agreement_scope).exclude(state=State.DRAFT)
    outcomes = dict.fromkeys(Outcome.values, 0)
    for outcome, n in (
        submitted.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by()
    ):
        outcomes[outcome] += n
    requests: dict[str, Outstanding] = {}
    open_requests = (
        submitted.filter(state__in=OPEN_STATES)
        .order_by("submitted_at")
        .values_list(
            "department__abbreviation",
            "department__name",
            "state",
            "submitted_at",
            "due_on",
            "agreement__area__slug",
            "number",
        )
    )
    requests_open = 0
    for abbreviation, name, state, submitted_at, answer_due, area_slug, number in open_requests:
        requests_open += 1
        name = abbreviation or name or "Not yet referred"
        entry = requests.setdefault(name, Outstanding(name))
        if not scope.is_national:  # the national tables count, the regional ones list
            entry.items.append(
                Waiting(
                    FreedomRequest.reference_for(area_slug, number),
                    reverse("freedoms:detail", args=[round_.slug, area_slug, number]),
                )
            )
        entry.ages.append(_age(submitted_at, today, tz))
        entry.overdue += bool(state == State.WITH_DEPARTMENT and answer_due and answer_due < today)

    popular = [
        PopularIndicator(code, title, code.lower().replace(" ", "-"), count)
        for code, title, count in Target.objects.filter(
            agreement_scope, kind=Target.Kind.DESIGNATED
        )
        .values_list("indicator__code", "indicator__title", "indicator__number")
        .annotate(areas=Count("pk"))  # an indicator is designated once per agreement
        .order_by("-areas", "indicator__number")
        .values_list("indicator__code", "indicator__title", "areas")[:POPULAR_INDICATORS]
    ]

    office_rows = list(by_office.values())
    return Figures(
        scope=scope,
        round=round_,
        today=today,
        stages=list(Stage.choices),
        parties=[Party(party).label for party in TURN_PARTIES],
        by_government_office=office_rows,
        stage_totals={
            stage: sum(row.by_stage[stage] for row in office_rows) for stage in Stage.values
        },
        agreements=rows,
        referrals=sorted(referrals.values(), key=lambda e: (-e.oldest_days, e.department)),
        requests=sorted(requests.values(), key=lambda e: (-e.oldest_days, e.department)),
        requests_by_outcome=[(Outcome(value).label, n) for value, n in outcomes.items()],
        requests_open=requests_open,
        popular_indicators=popular,
    )


def rounds() -> list[Round]:
    return list(Round.objects.order_by("-is_current", "-first_year"))
