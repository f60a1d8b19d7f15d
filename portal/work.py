"""What awaits each user's action, across every agreement and request they work on: the
home page's "your work"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Window
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, AreaAssignment
from agreements.selectors import agreements_visible_to
from agreements.stages import Stage
from freedoms.lifecycle import State
from freedoms.models import FreedomRequest
from freedoms.permissions import awaited_requests
from negotiations.models import Comment, Referral
from negotiations.permissions import answerable_referrals, moved_agreements
from negotiations.selectors import open_challenges_count
from negotiations.timetable import next_milestones_of, progress_annotations
from signoff.selectors import chains_for, signing_work


@dataclass(frozen=True)
class WorkItem:
    agreement: str
    task: str
    url: str
    count: int = 1
    due_on: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()


def _url(agreement, name="negotiations:negotiation") -> str:
    return reverse(name, args=[agreement.round.slug, agreement.area.slug])


@dataclass(frozen=True)
class SignOffs:
    """The agreements in sign-off a user sees, and their chains as `chains_for` reads them:
    read once, for the user's signing work and for whose turn each of their agreements is."""

    agreements: list[Agreement]
    chains: dict


def sign_offs_for(user: User) -> SignOffs:
    agreements = list(
        agreements_visible_to(user)
        .filter(stage=Stage.IN_SIGN_OFF)
        .select_related("round", "area__government_office")
        .defer("story_of_place", "governance")
        .order_by("area__name")
    )
    return SignOffs(agreements, chains_for(agreements))


def work_for(user: User, *, sign_offs: SignOffs | None = None) -> list[WorkItem]:
    if user.has_perm("freedoms.see_routed_requests"):
        # A department's work is the referrals it answers; it neither moves nor signs.
        return _department_work(user)
    if sign_offs is None:
        sign_offs = sign_offs_for(user)
    return _negotiation_work(user) + _signing_work(user, sign_offs)


SIGNING_TASKS = {
    "partners": "Sign off for {organisation}",
    "council": "Record the council's adoption",
    "go": "Record the GO's recommendation",
    "minister": "Record the Minister's signature",
}


def _signing_work(user: User, sign_offs: SignOffs) -> list[WorkItem]:
    return [
        WorkItem(
            agreement.area.name,
            SIGNING_TASKS[step.kind].format(organisation=signatory.organisation.name),
            reverse(
                "signoff:sign",
                args=[
                    agreement.round.slug,
                    agreement.area.slug,
                    step.kind,
                    signatory.organisation.pk,
                ],
            ),
        )
        for agreement, step, signatory in signing_work(user, sign_offs.agreements, sign_offs.chains)
    ]


def _negotiation_work(user: User) -> list[WorkItem]:
    waiting = Referral.objects.filter(
        agreement=OuterRef("pk"), answered_at__isnull=True, withdrawn_at__isnull=True
    )
    # A party to an agreement sees it: the move rule alone picks the rows.
    agreements = list(
        Agreement.objects.filter(moved_agreements(user))
        .select_related("area__government_office", "area__assignment", "round")
        .defer("story_of_place", "governance")
        .annotate(
            open_challenges=open_challenges_count(Comment.Visibility.LOCALITY),
            referrals_waiting=Exists(waiting),
            **progress_annotations(),
        )
        .order_by("area__name")
    )
    # Their progress is in the query: each round's timetable is one more.
    statuses = next_milestones_of(agreements)
    items = []
    for agreement in agreements:
        status = statuses[agreement.pk]
        due = status.due_on if status else None
        name = agreement.area.name
        if not user.has_perm("negotiations.negotiate_agreement", agreement):
            # The area's coordinator, the other party.
            if agreement.stage in (Stage.DRAFTING, Stage.RETURNED):
                items.append(
                    WorkItem(name, "Finish and submit the draft", _url(agreement), due_on=due)
                )
            if agreement.open_challenges:
                items.append(
                    WorkItem(
                        name,
                        "Answer challenges and required changes",
                        _url(agreement) + "#comments",
                        count=agreement.open_challenges,
                    )
                )
        else:
            # An area the GO has assigned is the assignee's work, and not their colleagues'.
            assignee = _assignee_id(agreement)
            if assignee is not None and assignee != user.pk:
                continue
            before = len(items)
            if agreement.stage == Stage.SUBMITTED:
                items.append(WorkItem(name, "Start the review", _url(agreement), due_on=due))
            elif agreement.stage == Stage.IN_REVIEW:
                items.append(WorkItem(name, "Review the draft", _url(agreement), due_on=due))
            elif agreement.stage == Stage.REFERRED and not agreement.referrals_waiting:
                items.append(WorkItem(name, "Departments have answered: continue", _url(agreement)))
            elif agreement.stage == Stage.AGREED_IN_PRINCIPLE:
                items.append(WorkItem(name, "Start sign-off", _url(agreement), due_on=due))
            if assignee == user.pk and len(items) == before and agreement.stage != Stage.SIGNED:
                # Nothing to do this minute, but the area is theirs to follow.
                items.append(
                    WorkItem(
                        name,
                        f"Follow the negotiation: {agreement.get_stage_display().lower()}",
                        _url(agreement),
                        due_on=due,
                    )
                )
    return items


def _assignee_id(agreement: Agreement) -> int | None:
    """Who the agreement's area is assigned to, from a list that selected it."""
    try:
        return agreement.area.assignment.negotiator_id
    except AreaAssignment.DoesNotExist:
        return None


def _department_work(user: User) -> list[WorkItem]:
    # A referral stays on the department's list until it is answered or the GO withdraws
    # it, whatever the agreement's stage meanwhile: an overdue one must not drop off
    # because the GO carried on reviewing.
    return [item for item, _ in _department_referrals(user)]


# What a request awaiting someone asks of them, by its state.
REQUEST_TASKS = {
    State.WITH_DEPARTMENT: "Answer the freedoms and flexibilities request",
    State.WITH_GO: "Triage or relay the freedoms and flexibilities request",
    State.ANSWERED: "Triage or relay the freedoms and flexibilities request",
    State.MORE_INFORMATION: "Send the information asked for",
}


def request_work(user: User, *, limit: int | None = None) -> tuple[list[WorkItem], int]:
    """The requests awaiting the user, soonest due first (at most `limit` of them), and how
    many there are in all, counted in the same query."""
    requests = FreedomRequest.objects.select_related("agreement__area", "agreement__round").only(
        "number",
        "title",
        "state",
        "due_on",
        "agreement__area__name",
        "agreement__area__slug",
        "agreement__round__slug",
    )
    requests = (
        requests.filter(awaited_requests(user))
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")
    )
    requests = list(requests[:limit] if limit is not None else requests)
    items = [
        WorkItem(
            f"{r.agreement.area.name}: {r.title}",
            REQUEST_TASKS[r.state],
            reverse(
                "freedoms:detail", args=[r.agreement.round.slug, r.agreement.area.slug, r.number]
            ),
            due_on=r.due_on,
        )
        for r in requests
    ]
    return items, requests[0].total if requests else 0


@dataclass(frozen=True)
class ReferralGroup:
    """A department's open referrals from one Government Office, soonest due first."""

    government_office: str
    items: list[WorkItem]

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


def department_referral_groups(user: User) -> list[ReferralGroup]:
    """The referrals waiting on the official's department, by Government Office (the one
    with the soonest due first) and by due date within each."""
    groups: dict[str, list[WorkItem]] = {}
    for item, office in _department_referrals(user):
        groups.setdefault(office, []).append(item)
    return sorted(
        (ReferralGroup(office, items) for office, items in groups.items()),
        key=lambda group: (group.items[0].due_on or dt.date.max, group.government_office),
    )


def _department_referrals(user: User) -> list[tuple[WorkItem, str]]:
    referrals = (
        Referral.objects.filter(
            answerable_referrals(user),
            answered_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("agreement__area__government_office", "agreement__round")
        .only(
            "due_on",
            "agreement__area__name",
            "agreement__area__slug",
            "agreement__area__government_office__name",
            "agreement__round__slug",
        )
        .order_by("due_on", "agreement__area__name")
    )
    return [
        (
            WorkItem(
                r.agreement.area.name,
                "Give your views on the targets in your field",
                _url(r.agreement, "negotiations:referral"),
                due_on=r.due_on,
            ),
            r.agreement.area.government_office.name,
        )
        for r in referrals
    ]
