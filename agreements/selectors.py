"""Reads of agreements, scoped to the user asking. Anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Area, Organisation, User
from accounts.permissions import is_coordinator, is_negotiator, is_official, is_partner
from accounts.selectors import government_offices
from agreements import hooks
from agreements.models import (
    Agreement,
    AgreementFundingStream,
    AgreementTheme,
    AreaAssignment,
    AreaAssignmentChange,
    Outcome,
    Target,
)
from agreements.permissions import assignable_areas, assignable_colleagues, visible_agreements
from agreements.presentation import TargetGroups, TargetPresentation
from agreements.stages import COURT, Party, Stage
from core.text import lower_first
from indicators.models import Round


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    agreements = Agreement.objects.select_related("area__government_office", "round")
    return agreements.filter(visible_agreements(user))


@dataclass(frozen=True)
class AgreementFilters:
    """The filters of a list of agreements, read from the query string. Unknown values
    are ignored rather than refused: a filter link is a bookmark, not a form to correct."""

    q: str = ""
    round: str = ""
    government_office: str = ""
    stage: str = ""
    party: str = ""
    overdue: bool = False
    # "me", "none" (no one yet) or a negotiator's id.
    assigned: str = ""

    @classmethod
    def from_query(cls, query) -> AgreementFilters:
        stage = query.get("stage", "")
        party = query.get("party", "")
        assigned = query.get("assigned", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            round=query.get("round", "")[:50],
            government_office=query.get("go", "")[:100],
            stage=stage if stage in Stage.values else "",
            party=party if party in Party.values else "",
            overdue=query.get("overdue", "") == "yes",
            # A negotiator's id as the database can hold it (an absurd one matches nobody).
            assigned=assigned
            if assigned in ("me", "none") or (assigned.isdigit() and int(assigned) < 2**31)
            else "",
        )

    @property
    def active(self) -> bool:
        return any(
            (
                self.q,
                self.round,
                self.government_office,
                self.stage,
                self.party,
                self.overdue,
                self.assigned,
            )
        )

    def apply(self, agreements: QuerySet[Agreement], user: User) -> QuerySet[Agreement]:
        if self.q:
            agreements = agreements.filter(area__name__icontains=self.q)
        if self.round:
            agreements = agreements.filter(round__slug=self.round)
        if self.government_office:
            agreements = agreements.filter(area__government_office__slug=self.government_office)
        if self.stage:
            agreements = agreements.filter(stage=self.stage)
        if self.party:
            agreements = agreements.filter(
                stage__in=[stage for stage, party in COURT.items() if party == self.party]
            )
        if self.assigned == "none":
            agreements = agreements.filter(area__assignment__isnull=True)
        elif self.assigned == "me":
            agreements = agreements.filter(area__assignment__negotiator=user)
        elif self.assigned:
            agreements = agreements.filter(area__assignment__negotiator_id=int(self.assigned))
        if self.overdue:
            agreements = hooks.overdue_only(agreements)
        return agreements

    def describe(self, user: User, choices: dict) -> str:
        """The filters in words, for the page's title: "overdue, with us"."""
        words = []
        if self.q:
            words.append(f"“{self.q}”")
        if self.overdue:
            words.append("overdue")
        if self.stage:
            words.append(lower_first(Stage(self.stage).label))
        if self.party:
            if self.party == own_party(user):
                words.append("with us")
            else:
                words.append(f"with {lower_first(Party(self.party).label)}")
        if self.assigned:
            names = dict(choices.get("assignees", []))
            words.append(f"assigned to {names.get(self.assigned, 'a negotiator')}")
        if self.round:
            words.append(dict(choices["rounds"]).get(self.round, self.round))
        if self.government_office:
            words.append(
                dict(choices["government_offices"]).get(
                    self.government_office, self.government_office
                )
            )
        return ", ".join(words)


def own_party(user: User) -> str:
    """The side of a negotiation the user speaks for, as whose court it is in: what "with
    us" means to them."""
    if is_negotiator.test(user):
        return Party.GO
    if is_official.test(user):
        return Party.DEPARTMENTS
    if is_coordinator.test(user) or is_partner.test(user):
        return Party.LOCALITY
    return ""


def agreement_filter_choices(user: User) -> dict[str, list[tuple[str, str]]]:
    """The options of each filter: rounds, Government Offices (for those who see more than
    one GO's areas), stages, whose court ("us" for the user's own side) and, for a GO's
    negotiators, who the areas are assigned to."""
    ours = own_party(user)
    colleagues = User.objects.filter(assignable_colleagues(user)).order_by("full_name")
    return {
        "rounds": list(Round.objects.order_by("-first_year").values_list("slug", "name")),
        "government_offices": (
            list(government_offices().values_list("slug", "name"))
            if user.has_perm("agreements.filter_by_government_office")
            else []
        ),
        "stages": list(Stage.choices),
        "parties": [
            (value, "Us" if value == ours else label)
            for value, label in Party.choices
            if value != Party.NOBODY
        ],
        "assignees": (
            [("me", "You"), ("none", "Nobody yet")]
            + [
                (str(pk), name)
                for pk, name in colleagues.exclude(pk=user.pk).values_list("pk", "full_name")
            ]
            if user.has_perm("agreements.assign_areas")
            else []
        ),
    }


def assignable_colleagues_for(user: User) -> QuerySet[User]:
    """The negotiators the user may hand an area to."""
    return User.objects.filter(assignable_colleagues(user)).order_by("full_name")


def assignable_areas_for(user: User) -> QuerySet[Area]:
    return Area.objects.filter(assignable_areas(user)).order_by("name")


def assignment_changes_for(user: User, limit: int = 20) -> QuerySet[AreaAssignmentChange]:
    """The latest changes of hands of the areas the user may assign."""
    return AreaAssignmentChange.objects.filter(
        area__in=Area.objects.filter(assignable_areas(user))
    ).select_related("area", "from_negotiator", "to_negotiator", "actor")[:limit]


def assignee_of(agreement: Agreement) -> User | None:
    """Who handles the agreement's area, from a list that selected `area__assignment`."""
    try:
        return agreement.area.assignment.negotiator
    except AreaAssignment.DoesNotExist:
        return None


def agreements_for_list(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """A queryset of agreements made ready for `agreement_rows`: the columns a list shows,
    its negotiator, and what whose turn and the next milestone read."""
    return hooks.with_milestone(
        hooks.with_turn(
            agreements.defer("story_of_place", "governance").select_related(
                "area__assignment__negotiator"
            )
        )
    )


def agreement_rows(agreements, **read) -> list[tuple]:
    """Each agreement of a list made with `agreements_for_list` as lists of agreements show
    it: (agreement, whose turn, next milestone, negotiator), in a fixed few queries however
    many there are. `read` passes on what the caller has already read (`chains`)."""
    turns = hooks.whose_turns(agreements, **read)
    milestones = hooks.next_milestones(agreement for agreement, _ in turns)
    return [
        (agreement, turn, milestones.get(agreement.pk), assignee_of(agreement))
        for agreement, turn in turns
    ]


def agreement_get_for_user(user: User, *, round_slug: str, area_slug: str) -> Agreement:
    return get_object_or_404(
        agreements_visible_to(user), round__slug=round_slug, area__slug=area_slug
    )


def agreement_for_edit(user: User, *, round_slug: str, area_slug: str) -> Agreement:
    """An agreement the user may change now; one they may only read answers 404 too."""
    agreement = agreement_get_for_user(user, round_slug=round_slug, area_slug=area_slug)
    if not user.has_perm("agreements.edit_draft", agreement):
        raise Http404
    return agreement


def targets_for(agreement: Agreement) -> QuerySet[Target]:
    return (
        agreement.targets.select_related("indicator__lead_department", "lead_partner", "outcome")
        .prefetch_related("contributing_partners", "district_shares__district")
        .order_by("kind", "indicator__number", "local_title", "pk")
    )


def targets_by_kind(agreement: Agreement) -> dict[str, list[Target]]:
    """The agreement's targets for display: designated, statutory and local, in order."""
    grouped: dict[str, list[Target]] = {kind: [] for kind in Target.Kind.values}
    for target in targets_for(agreement):
        grouped[target.kind].append(target)
    return grouped


def target_get(agreement: Agreement, pk: int) -> Target:
    return get_object_or_404(targets_for(agreement), pk=pk)


def themes_with_outcomes(agreement: Agreement) -> QuerySet[AgreementTheme]:
    return agreement.themes.select_related("theme").prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("created_at"))
    )


def outcome_get(agreement: Agreement, pk: int) -> Outcome:
    return get_object_or_404(agreement.outcomes.select_related("agreement_theme__theme"), pk=pk)


def funding_for(agreement: Agreement) -> QuerySet[AgreementFundingStream]:
    return (
        agreement.funding.select_related("stream__department", "provider", "consent_recorded_by")
        .prefetch_related("outcomes")
        .order_by("stream__name")
    )


def funding_get(agreement: Agreement, pk: int) -> AgreementFundingStream:
    return get_object_or_404(funding_for(agreement), pk=pk)


def target_counts(agreement: Agreement) -> dict[str, int]:
    counts = agreement.targets.aggregate(
        designated=Count("pk", filter=Q(kind=Target.Kind.DESIGNATED)),
        statutory=Count("pk", filter=Q(kind=Target.Kind.STATUTORY)),
        local=Count("pk", filter=Q(kind=Target.Kind.LOCAL)),
    )
    return counts


def task_list_counts(agreement: Agreement) -> dict[str, int]:
    """What the task list needs beyond the draft's content: how many partners the area
    names and how many funding streams the round's catalogue offers."""
    return {
        "partner_count": agreement.area.partnerships.count(),
        "catalogue_size": agreement.round.funding_streams.count(),
    }


def area_partners(agreement: Agreement) -> QuerySet[Organisation]:
    """The organisations that may lead or contribute to targets: the lead council and the
    area's named partners."""
    return (
        Organisation.objects.filter(
            Q(kind=Organisation.Kind.LOCALITY, area_id=agreement.area_id)
            | Q(partnerships__area_id=agreement.area_id)
        )
        .distinct()
        .order_by("kind", "name")
    )


def area_districts(agreement: Agreement) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        partnerships__area_id=agreement.area_id, partnerships__partner_type="district_council"
    ).order_by("name")


def target_presentations(agreement: Agreement) -> TargetGroups:
    """The agreement's live targets as every page shows them, by kind, in order."""
    years = agreement.round.years
    return TargetGroups.of(
        (TargetPresentation.from_target(target, years) for target in targets_for(agreement)),
        years=years,
        statutory_note=agreement.round.statutory_note,
    )


def designated_targets_full(agreement: Agreement) -> bool:
    """Whether the agreement has as many designated targets as its round allows, so that
    no one is offered a form whose saving the cap would refuse."""
    cap = agreement.round.designated_target_cap
    if cap is None:
        return False
    return agreement.targets.filter(kind=Target.Kind.DESIGNATED).count() >= cap


def version_target_presentations(agreement: Agreement, content: dict) -> TargetGroups:
    """A version's frozen targets, shown exactly as the live ones are, with the statutory
    note it froze (versions frozen before the note was kept read the round's)."""
    years = list(content.get("years") or agreement.round.years)
    note = content.get("statutory_note")
    return TargetGroups.of(
        (TargetPresentation.from_snapshot(item, years) for item in content.get("targets") or []),
        years=years,
        statutory_note=agreement.round.statutory_note if note is None else note,
    )


def statutory_counts(round_) -> dict[str, int]:
    """How many of the round's statutory education targets await DCSF's figures, and how
    many are set."""
    counts = Target.objects.filter(kind=Target.Kind.STATUTORY, agreement__round=round_).aggregate(
        set=Count("pk", filter=Q(statutory_state=Target.StatutoryState.SET)),
        total=Count("pk"),
    )
    return {"set": counts["set"], "awaiting": counts["total"] - counts["set"]}
