"""Where each agreement stands against its round's timetable, and reminders about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Agreement
from indicators.models import Milestone
from negotiations.models import MilestoneReminder
from negotiations.workflow import COURT, Action, Party, Stage

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


def is_met(milestone: Milestone, changes) -> bool:
    rank = MILESTONE_RANK.get(milestone.met_when)
    if rank is None:
        return False
    reached = max((STAGE_RANK.get(c.to_stage, 0) for c in changes), default=0)
    if reached >= rank:
        return True
    submissions = sum(1 for change in changes if change.action == Action.SUBMIT)
    return (rank == 1 and submissions >= 1) or (rank == 2 and submissions >= 2)


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
    changes = changes if changes is not None else list(agreement.stage_changes.all())
    today = today or timezone.localdate()
    for milestone in sorted(milestones, key=lambda m: m.position):
        if not is_met(milestone, changes):
            return MilestoneStatus(milestone, overrides.get(milestone.pk, milestone.due_on), today)
    return None


def reminders_send(today=None) -> int:
    """E-mail whoever holds each agreement when its next milestone is near or passed.
    Each reminder is recorded first, under a unique constraint, so it goes once."""
    from negotiations.services import go_people, locality_people
    from notifications.services import notify

    today = today or timezone.localdate()
    sent = 0
    agreements = (
        Agreement.objects.filter(round__is_current=True)
        .exclude(stage=Stage.AGREED_IN_PRINCIPLE)
        .select_related("area__government_office", "round")
        .prefetch_related("round__milestones", "stage_changes", "area__milestone_overrides")
    )
    for agreement in agreements:
        overrides = {o.milestone_id: o.due_on for o in agreement.area.milestone_overrides.all()}
        status = next_milestone(
            agreement,
            milestones=list(agreement.round.milestones.all()),
            overrides=overrides,
            changes=list(agreement.stage_changes.all()),
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
                        f"{agreement.get_stage_display().lower()}. The next milestone, "
                        f"{status.milestone.name}, {'was' if status.overdue else 'is'} "
                        f"due on {when}."
                    ),
                    url=f"/agreements/{agreement.round.slug}/{agreement.area.slug}/negotiation/",
                )
        except IntegrityError:
            continue  # already reminded
        sent += 1
    return sent
