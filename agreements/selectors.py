"""Reads of agreements, scoped to the user asking. Anything else answers 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.selectors import government_offices
from agreements.models import (
    Agreement,
    AgreementFundingStream,
    AgreementTheme,
    Outcome,
    Target,
)
from agreements.permissions import visible_agreements
from agreements.presentation import TargetGroups, TargetPresentation
from agreements.stages import COURT, Party, Stage
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

    @classmethod
    def from_query(cls, query) -> AgreementFilters:
        stage = query.get("stage", "")
        party = query.get("party", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            round=query.get("round", "")[:50],
            government_office=query.get("go", "")[:100],
            stage=stage if stage in Stage.values else "",
            party=party if party in Party.values else "",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.round, self.government_office, self.stage, self.party))

    def apply(self, agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
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
        return agreements


def agreement_filter_choices(user: User) -> dict[str, list[tuple[str, str]]]:
    """The options of each filter: rounds, Government Offices (for those who see more than
    one GO's areas), stages and whose court."""
    return {
        "rounds": list(Round.objects.order_by("-first_year").values_list("slug", "name")),
        "government_offices": (
            list(government_offices().values_list("slug", "name"))
            if user.has_perm("agreements.filter_by_government_office")
            else []
        ),
        "stages": list(Stage.choices),
        "parties": [(value, label) for value, label in Party.choices if value != Party.NOBODY],
    }


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
