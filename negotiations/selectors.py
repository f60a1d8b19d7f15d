"""Reads for the negotiation, scoped to what each user may see."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_official
from agreements.models import Agreement, Target
from agreements.selectors import targets_for
from agreements.stages import COURT, Party, Stage
from negotiations import registry
from negotiations.models import (
    Comment,
    Referral,
    ReferralDraft,
    StageChange,
    TargetView,
    Version,
)

V = Comment.Visibility


def referral_for(user: User, agreement: Agreement) -> Referral | None:
    if not is_official.test(user) or user.organisation_id is None:
        return None
    return (
        Referral.objects.filter(agreement=agreement, department_id=user.organisation_id)
        .select_related("version", "department")
        .order_by("-version__number")
        .first()
    )


def targets_in_field(referral: Referral) -> list[Target]:
    """The targets of the referred agreement whose indicator the department leads, in the
    order every page lists targets."""
    return [
        target
        for target in targets_for(referral.agreement)
        if target.indicator is not None
        and target.indicator.lead_department_id == referral.department_id
    ]


def referral_draft_for(user: User, referral: Referral) -> ReferralDraft | None:
    """The person's own draft of answers to the referral, if they kept one."""
    return ReferralDraft.objects.filter(referral=referral, author=user).first()


def visible_comment_kinds(user: User, agreement: Agreement) -> set[str]:
    """Which visibilities of comment this user may read on this agreement (the
    `negotiations.read_*_comments` permissions, as the filter a list of comments needs)."""
    if user.has_perm("negotiations.read_internal_comments", agreement):
        return {V.LOCALITY, V.GO_INTERNAL, V.DEPARTMENTS}
    if user.has_perm("negotiations.read_locality_comments", agreement):
        return {V.LOCALITY}
    if user.has_perm("negotiations.read_department_comments", agreement):
        return {V.DEPARTMENTS}
    return set()


def writable_visibilities(user: User, agreement: Agreement) -> list[str]:
    """The `negotiations.write_*_comments` permissions, as the choices of the comment form."""
    if user.has_perm("negotiations.write_internal_comments", agreement):
        return [V.LOCALITY, V.GO_INTERNAL, V.DEPARTMENTS]
    if user.has_perm("negotiations.write_locality_comments", agreement):
        return [V.LOCALITY]
    if user.has_perm("negotiations.write_department_comments", agreement):
        return [V.DEPARTMENTS]
    return []


def comments_visible_to(user: User, agreement: Agreement) -> QuerySet[Comment]:
    """Top-level comments the user may read, with their replies (which share the parent's
    visibility)."""
    kinds = visible_comment_kinds(user, agreement)
    replies = Comment.objects.select_related("author", "resolved_by").order_by("created_at")
    return (
        Comment.objects.filter(agreement=agreement, parent__isnull=True, visibility__in=kinds)
        .select_related(
            "agreement__area",  # for the permissions asked of each comment
            "author",
            "resolved_by",
            "closing_proposed_by",
            "target__indicator",
            "funding__stream",
            "anchor_version",
        )
        # A kept anchor links to its version by number: never read the version's content.
        .defer("anchor_version__content")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at")
    )


OPEN_CHALLENGE = Q(
    parent__isnull=True,
    resolution="",
    kind__in=[Comment.Kind.CHALLENGE, Comment.Kind.REQUIRED_CHANGE],
)


def open_challenges(agreement: Agreement) -> QuerySet[Comment]:
    return Comment.objects.filter(OPEN_CHALLENGE, agreement=agreement)


def open_challenges_count(visibility: str | None = None):
    """An annotation counting each agreement's open challenges and required changes (of one
    visibility if given) in a subquery, so a list of agreements needs no query of its own."""
    comments = Comment.objects.filter(OPEN_CHALLENGE, agreement=OuterRef("pk"))
    if visibility:
        comments = comments.filter(visibility=visibility)
    counted = comments.order_by().values("agreement").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def latest_version(agreement: Agreement) -> Version | None:
    return agreement.versions.order_by("-number").first()


def version_get(agreement: Agreement, number: int) -> Version:
    return get_object_or_404(Version, agreement=agreement, number=number)


def last_reviewed_version(agreement: Agreement) -> Version | None:
    """The version the GO last started reviewing before the latest submission."""
    latest = latest_version(agreement)
    if latest is None:
        return None
    change = (
        StageChange.objects.filter(agreement=agreement, to_stage=Stage.IN_REVIEW)
        .exclude(version=latest)
        .exclude(version=None)
        .select_related("version")
        .order_by("-created_at")
        .first()
    )
    return change.version if change else None


def referrals_for(agreement: Agreement) -> QuerySet[Referral]:
    """The referrals of the latest version, and any older one still waiting for an answer
    (which stays until it is answered or withdrawn)."""
    latest = latest_version(agreement)
    return (
        Referral.objects.filter(
            Q(version=latest) | Q(answered_at__isnull=True, withdrawn_at__isnull=True),
            agreement=agreement,
        )
        .select_related("department", "answered_by", "withdrawn_by")
        .order_by("department__abbreviation", "version__number")
    )


def department_views(agreement: Agreement) -> QuerySet[TargetView]:
    return (
        TargetView.objects.filter(referral__agreement=agreement)
        .select_related("referral__department", "official", "target__indicator")
        .order_by("target__indicator__number", "referral__department__abbreviation")
    )


def waiting_referrals_query() -> QuerySet[Referral]:
    """Referrals of agreements with the departments still waiting for an answer on the
    latest version referred, each with its version's number (never the version's frozen
    content, which is tens of kilobytes a row)."""
    latest = (
        Referral.objects.filter(agreement=OuterRef("agreement"))
        .order_by("-version__number")
        .values("version__number")[:1]
    )
    return (
        Referral.objects.filter(
            agreement__stage=Stage.REFERRED, answered_at__isnull=True, withdrawn_at__isnull=True
        )
        .annotate(version_number=F("version__number"))
        .filter(version_number=Subquery(latest))
    )


def with_turn(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Lists that show whose turn it is load the referrals they need in one query."""
    return agreements.select_related("area__government_office").prefetch_related(
        Prefetch(
            "referrals",
            queryset=waiting_referrals_query().select_related("department"),
            to_attr="waiting_referrals",
        )
    )


def waiting_referrals(agreement: Agreement) -> list[Referral]:
    """The referrals of the latest referred version still waiting for an answer, from a
    list made with `with_turn`."""
    return getattr(agreement, "waiting_referrals", None) or []


def whose_turns(agreements, *, chains: dict | None = None) -> list[tuple[Agreement, str]]:
    """Each agreement of a list (made with `with_turn`) with whose turn it is, reading the
    sign-off chains of those in sign-off together, unless the caller has read them
    already (`chains`, as `chains_for` gives them, for these agreements or more)."""
    sign_off = registry.sign_off()
    agreements = list(agreements)
    if chains is None:
        chains = sign_off.chains_for(agreements)
    return [
        (
            agreement,
            sign_off.whose_turn(agreement, chains[agreement.pk][1])
            if agreement.pk in chains
            else whose_turn_in_list(agreement),
        )
        for agreement in agreements
    ]


def whose_turn_in_list(agreement: Agreement) -> str:
    return whose_turn(agreement, waiting_referrals(agreement))


def whose_turn(agreement: Agreement, referrals=None) -> str:
    party = COURT[Stage(agreement.stage)]
    if party == Party.SIGNATORIES:
        return registry.sign_off().whose_turn(agreement)
    if party == Party.NOBODY:
        return "Nobody: the agreement is signed"
    if party == Party.LOCALITY:
        return f"{agreement.area.name} (locality)"
    if party == Party.DEPARTMENTS:
        referrals = referrals if referrals is not None else list(referrals_for(agreement))
        waiting = [r.department.short_name for r in referrals if not r.is_settled]
        if waiting:
            return "Departments: " + ", ".join(waiting)
        return agreement.area.government_office.name
    return agreement.area.government_office.name


def time_with_each_party(agreement: Agreement, changes=None) -> dict[str, timedelta]:
    """How long the agreement has spent in each party's court, from its stage changes."""
    changes = changes if changes is not None else list(agreement.stage_changes.all())
    # Time after signature is nobody's turn, so it is not counted.
    totals = {party.label: timedelta(0) for party in Party if party != Party.NOBODY}
    stage, since = Stage.DRAFTING, agreement.created_at
    for change in changes:
        if COURT[stage] != Party.NOBODY:
            totals[COURT[stage].label] += change.created_at - since
        stage, since = change.to_stage, change.created_at
    if COURT[stage] != Party.NOBODY:
        totals[COURT[stage].label] += timezone.now() - since
    return totals
