"""Where each agreement stands against its round's timetable, and reminders about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import Agreement
from agreements.stages import COURT, Action, Party, Stage
from core.people import go_people, locality_people
from core.text import lower_first
from indicators.models import Milestone
from negotiations.models import MilestoneReminder, StageChange
from notifications.services import notify

REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    due_on: dt.date | None
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < self.today

    @property
    def days_left(self) -> int | None:
        return None if self.due_on is None else (self.due_on - self.today).days


# The milestones in the order an agreement passes them. Reaching a later one meets the
# earlier ones too: an agreement agreed in principle after one draft never needs a further
# draft, and a signed one has nothing left to meet.
MILESTONE_RANK = {
    Milestone.MetWhen.FIRST_SUBMISSION: 1,
    Milestone.MetWhen.RESUBMISSION: 2,
    Milestone.MetWhen.AGREED_IN_PRINCIPLE: 3,
    Milestone.MetWhen.SIGNED: 4,
}
STAGE_RANK = {Stage.AGREED_IN_PRINCIPLE: 3, Stage.IN_SIGN_OFF: 3, Stage.SIGNED: 4}


@dataclass(frozen=True)
class Progress:
    """How far an agreement has come, as far as milestones care: the highest rank its
    stages reached and how many times it was submitted."""

    reached: int
    submissions: int

    @classmethod
    def from_changes(cls, changes) -> Progress:
        return cls(
            reached=max((STAGE_RANK.get(c.to_stage, 0) for c in changes), default=0),
            submissions=sum(1 for change in changes if change.action == Action.SUBMIT),
        )


def progress_annotations() -> dict:
    """Annotations giving each agreement of a list its `Progress` in the list's own query,
    instead of reading every stage change."""
    changes = StageChange.objects.filter(agreement=OuterRef("pk"))
    submissions = (
        changes.filter(action=Action.SUBMIT)
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    ranks = {}
    for stage, rank in STAGE_RANK.items():
        ranks.setdefault(rank, []).append(stage)
    return {
        "progress_submissions": Coalesce(Subquery(submissions), 0),
        **{
            f"progress_rank_{rank}": Exists(changes.filter(to_stage__in=stages))
            for rank, stages in ranks.items()
        },
    }


def with_progress(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """A list that shows next milestones reads each agreement's progress in its own query."""
    return agreements.annotate(**progress_annotations())


def progress_of(agreement: Agreement, changes=None) -> Progress:
    """The agreement's progress, from `progress_annotations` when its list has them, else
    from its stage changes."""
    if hasattr(agreement, "progress_submissions"):
        reached = max(
            (
                rank
                for rank in set(STAGE_RANK.values())
                if getattr(agreement, f"progress_rank_{rank}")
            ),
            default=0,
        )
        return Progress(reached=reached, submissions=agreement.progress_submissions)
    changes = changes if changes is not None else list(agreement.stage_changes.all())
    return Progress.from_changes(changes)


def is_met(milestone: Milestone, progress: Progress) -> bool:
    rank = MILESTONE_RANK.get(milestone.met_when)
    if rank is None:
        return False
    if progress.reached >= rank:
        return True
    return (rank == 1 and progress.submissions >= 1) or (rank == 2 and progress.submissions >= 2)


def next_milestone(
    agreement: Agreement, *, milestones=None, overrides=None, changes=None, today=None
) -> MilestoneStatus | None:
    """The first milestone of the round the agreement has not met, with the area's date."""
    milestones = milestones if milestones is not None else list(agreement.round.milestones.all())
    if overrides is None:
        overrides = {
            o.milestone_id: o.due_on
            for o in agreement.area.milestone_overrides.filter(milestone__round=agreement.round)
        }
    progress = progress_of(agreement, changes)
    today = today or timezone.localdate()
    for milestone in sorted(milestones, key=lambda m: m.position):
        if not is_met(milestone, progress):
            return MilestoneStatus(milestone, overrides.get(milestone.pk, milestone.due_on), today)
    return None


MILESTONE_FIELDS = ["id", "round_id", "name", "position", "due_on", "met_when"]


def milestones_with_overrides(round_) -> tuple[list[Milestone], dict[int, dict]]:
    """The round's milestones and every area's own dates for them, in one query:
    ([milestone, ...], {area id: {milestone id: date}}). Overrides are few (a handful of
    dates for a few areas), so reading them all costs less than a second query."""
    milestones: dict[int, Milestone] = {}
    overrides: dict[int, dict] = {}
    for row in (
        Milestone.objects.filter(round=round_)
        .order_by("position", "pk")
        .values(*MILESTONE_FIELDS, "overrides__area_id", "overrides__due_on")
    ):
        area_id, due_on = row.pop("overrides__area_id"), row.pop("overrides__due_on")
        milestones.setdefault(row["id"], Milestone(**row))
        if area_id is not None:
            overrides.setdefault(area_id, {})[row["id"]] = due_on
    return list(milestones.values()), overrides


def reminders_send(today=None) -> int:
    """E-mail whoever holds each agreement when its next milestone is near or passed.
    Each reminder is recorded first, under a unique constraint, so it goes once."""
    today = today or timezone.localdate()
    sent = 0
    agreements = (
        Agreement.objects.filter(round__is_current=True)
        .exclude(stage=Stage.AGREED_IN_PRINCIPLE)
        .select_related("area__government_office", "round")
        .defer("story_of_place", "governance")
        .annotate(**progress_annotations())
        .prefetch_related("round__milestones", "area__milestone_overrides")
    )
    for agreement in agreements:
        overrides = {o.milestone_id: o.due_on for o in agreement.area.milestone_overrides.all()}
        status = next_milestone(
            agreement,
            milestones=list(agreement.round.milestones.all()),
            overrides=overrides,
            today=today,
        )
        if status is None or status.due_on is None:
            continue
        if status.overdue:
            kind = MilestoneReminder.Kind.OVERDUE
        elif status.days_left <= REMIND_DAYS_BEFORE:
            kind = MilestoneReminder.Kind.DUE_SOON
        else:
            continue
        audience = (
            locality_people(agreement)
            if COURT[agreement.stage] == Party.LOCALITY
            else go_people(agreement)
        )
        try:
            with transaction.atomic():
                MilestoneReminder.objects.create(
                    agreement=agreement, milestone=status.milestone, kind=kind
                )
                when = status.due_on.strftime("%-d %B %Y")
                notify(
                    users=audience,
                    subject=(
                        f"{agreement.area}: {status.milestone.name} "
                        f"{'was due' if status.overdue else 'is due'} on {when}"
                    ),
                    body=(
                        f"The {agreement.round} agreement for {agreement.area} is "
                        f"{lower_first(agreement.get_stage_display())}. The next milestone, "
                        f"{status.milestone.name}, {'was' if status.overdue else 'is'} "
                        f"due on {when}."
                    ),
                    url=f"/agreements/{agreement.round.slug}/{agreement.area.slug}/negotiation/",
                )
        except IntegrityError:
            continue  # already reminded
        sent += 1
    return sent


def next_milestones_of(
    agreements: list[Agreement], today=None
) -> dict[int, MilestoneStatus | None]:
    """The next milestone of each agreement of a list, in a query for each round's
    milestones and, unless the list read their progress (`with_progress`), one for their
    stage changes (whatever the number of agreements)."""
    if not agreements:
        return {}
    changes: dict[int, list[StageChange]] | None = None
    if not all(hasattr(agreement, "progress_submissions") for agreement in agreements):
        changes = {a.pk: [] for a in agreements}
        for change in StageChange.objects.filter(agreement__in=list(changes)).only(
            "agreement_id", "action", "to_stage"
        ):
            changes[change.agreement_id].append(change)
    timetables = {
        round_id: milestones_with_overrides(round_id)
        for round_id in {agreement.round_id for agreement in agreements}
    }
    statuses = {}
    for agreement in agreements:
        milestones, overrides = timetables[agreement.round_id]
        statuses[agreement.pk] = next_milestone(
            agreement,
            milestones=milestones,
            overrides=overrides.get(agreement.area_id, {}),
            changes=changes[agreement.pk] if changes is not None else None,
            today=today,
        )
    return statuses


def overdue_agreements(agreements: QuerySet[Agreement], today=None) -> QuerySet[Agreement]:
    """The agreements of a queryset whose next milestone is past: worked out over all of
    them, before a list pages them, from one light query and each round's timetable."""
    rows = list(
        agreements.order_by().only("pk", "round_id", "area_id").annotate(**progress_annotations())
    )
    timetables = {
        round_id: milestones_with_overrides(round_id)
        for round_id in {agreement.round_id for agreement in rows}
    }
    overdue = []
    for agreement in rows:
        milestones, overrides = timetables[agreement.round_id]
        status = next_milestone(
            agreement,
            milestones=milestones,
            overrides=overrides.get(agreement.area_id, {}),
            today=today,
        )
        if status is not None and status.overdue:
            overdue.append(agreement.pk)
    return agreements.filter(pk__in=overdue)
