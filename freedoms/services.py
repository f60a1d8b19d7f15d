"""Every change to a freedoms and flexibilities request goes through these functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User
from agreements.models import Agreement
from core.errors import ConflictError, ServiceError
from core.people import go_people, locality_people
from core.text import lower_first
from core.working_days import add_working_days, working_days_between
from freedoms.lifecycle import CLOCK_RUNS, Move, Outcome, State, step_for
from freedoms.models import (
    EvidenceFile,
    FreedomRequest,
    NegotiatingBrief,
    PolicyOwner,
    RequestEvent,
    RequestReminder,
)
from freedoms.permissions import answers_request, move_permission
from notifications.services import notify

REMIND_DAYS_BEFORE = 3
EVIDENCE_TYPES = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".csv",
    ".odt",
    ".ods",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RequestFields:
    title: str
    obstacle_kind: str
    obstacle: str
    ask: str
    evidence: str = ""
    topic: str = ""
    outcomes: tuple = ()
    targets: tuple = ()
    proposed_departments: tuple = ()


def _url(request: FreedomRequest) -> str:
    agreement = request.agreement
    return reverse(
        "freedoms:detail", args=[agreement.round.slug, agreement.area.slug, request.number]
    )


def _apply(request: FreedomRequest, fields: RequestFields) -> None:
    for name in ("title", "obstacle_kind", "obstacle", "ask", "evidence", "topic"):
        setattr(
            request,
            name,
            getattr(fields, name).strip() if name != "obstacle_kind" else fields.obstacle_kind,
        )
    if not request.title or not request.obstacle or not request.ask:
        raise ServiceError("Give the subject, what is in the way and what you ask for instead.")


def _relations(request: FreedomRequest, fields: RequestFields) -> None:
    agreement = request.agreement
    if any(o.agreement_id != agreement.pk for o in fields.outcomes) or any(
        t.agreement_id != agreement.pk for t in fields.targets
    ):
        raise ServiceError("Outcomes and targets must be this agreement's own.")
    request.outcomes.set(fields.outcomes)
    request.targets.set(fields.targets)
    request.proposed_departments.set(fields.proposed_departments)


def request_create(*, agreement: Agreement, actor: User, fields: RequestFields) -> FreedomRequest:
    if not actor.has_perm("freedoms.draft_request", agreement):
        raise PermissionDenied
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)  # numbers in order
        number = (agreement.freedom_requests.aggregate(n=Max("number"))["n"] or 0) + 1
        request = FreedomRequest(agreement=agreement, number=number, created_by=actor)
        _apply(request, fields)
        request._history_user = actor
        request.save()
        _relations(request, fields)
    return request


def request_update(
    *, request: FreedomRequest, actor: User, expected_version: int, fields: RequestFields
) -> FreedomRequest:
    if not actor.has_perm("freedoms.draft_request", request.agreement):
        raise PermissionDenied
    with transaction.atomic():
        locked = FreedomRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state not in (State.DRAFT, State.MORE_INFORMATION):
            raise ServiceError(
                "The request can be changed only while it is a draft or when "
                "more information has been asked for."
            )
        if locked.version != expected_version:
            raise ConflictError(current=locked)
        _apply(locked, fields)
        locked.version += 1
        locked._history_user = actor
        locked.save()
        _relations(locked, fields)
    return locked


def evidence_add(*, request: FreedomRequest, actor: User, upload) -> EvidenceFile:
    if not actor.has_perm("freedoms.draft_request", request.agreement):
        raise PermissionDenied
    if request.state not in (State.DRAFT, State.MORE_INFORMATION):
        raise ServiceError(
            "Evidence can be added while the request is a draft or when more "
            "information has been asked for."
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ServiceError(
            "The file must be a PDF, Word, Excel, OpenDocument, CSV, text or image file."
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ServiceError("The file must be smaller than 10 MB.")
    return EvidenceFile.objects.create(
        request=request,
        file=upload,
        name=PurePath(upload.name).name[:200],
        size=upload.size,
        uploaded_by=actor,
    )


def route_owner(department: Organisation, request: FreedomRequest) -> PolicyOwner | None:
    """The policy owner of the request's topic or funding stream in the department, else
    its LAA lead."""
    owners = PolicyOwner.objects.filter(department=department).select_related("user")
    if request.topic:
        # The topic may name a policy or the funding stream the request is about.
        match = (
            owners.filter(topic__iexact=request.topic).first()
            or owners.filter(funding_stream__name__iexact=request.topic).first()
        )
        if match:
            return match
    return owners.filter(is_laa_lead=True).first()


def _cutoff(request: FreedomRequest) -> dt.date | None:
    milestone = request.agreement.round.milestones.filter(met_when="agreed_in_principle").first()
    if milestone is None:
        return None
    override = milestone.overrides.filter(area=request.agreement.area).first()
    return override.due_on if override else milestone.due_on


def request_move(
    *,
    request: FreedomRequest,
    actor: User,
    move: str,
    expected_state: str,
    comment: str = "",
    outcome: str = "",
    alternative: str = "",
    department: Organisation | None = None,
) -> RequestEvent | None:
    """Take one step of the lifecycle. A second press of the same button does nothing."""
    with transaction.atomic():
        locked = (
            FreedomRequest.objects.select_for_update()
            .select_related("agreement__area", "agreement__round")
            .get(pk=request.pk)
        )
        if locked.state != expected_state:
            last = locked.events.order_by("-created_at").first()
            if last is not None and last.move == move:
                return None
            raise ServiceError(f"The request is now {lower_first(locked.get_state_display())}.")
        step = step_for(locked.state, move)
        if step is None or not actor.has_perm(move_permission(move), locked):
            raise PermissionDenied
        comment = comment.strip()
        if step.needs_reason and not comment:
            raise ServiceError("Say why.")
        now = timezone.now()
        if move == Move.SUBMIT:
            locked.submitted_at = now
            cutoff = _cutoff(locked)
            locked.is_late = cutoff is not None and timezone.localdate() > cutoff
        elif move == Move.REFER:
            department = department or locked.proposed_departments.first()
            if department is None or department.kind != Organisation.Kind.DEPARTMENT:
                raise ServiceError("Choose the department that owns the request.")
            locked.department = department
            locked.owner = route_owner(department, locked)
            locked.referred_at = now
            locked.due_on = add_working_days(
                timezone.localdate(), locked.agreement.round.request_response_days
            )
        elif move in (Move.DECIDE, Move.ANSWER):
            _record_answer(locked, actor, move, outcome, comment, alternative, now)
        elif move in (Move.ASK, Move.HOLD):
            locked.paused_at = now  # the clock stops while the department does not hold it
        elif move in (Move.PROVIDE, Move.RESUME) and locked.paused_at and locked.due_on:
            paused = working_days_between(
                timezone.localdate(locked.paused_at), timezone.localdate(now)
            )
            locked.due_on = add_working_days(locked.due_on, paused) if paused else locked.due_on
            locked.paused_at = None
        elif move == Move.RELAY:
            locked.relay_comment = comment
        event = RequestEvent.objects.create(
            request=locked,
            move=move,
            from_state=locked.state,
            to_state=step.target,
            actor=actor,
            comment=comment,
        )
        locked.state = step.target
        locked._history_user = actor
        locked._change_reason = Move(move).label
        locked.save()
        if move in (Move.DECIDE, Move.ANSWER):
            _answer_duplicates(locked, actor, now)
        _notify(locked, event)
    return event


def _record_answer(request, actor, move, outcome, reason, alternative, now) -> None:
    if outcome not in Outcome.values:
        raise ServiceError("Choose an outcome.")
    if outcome != Outcome.AGREED and not reason:
        raise ServiceError("Give the reason for this outcome: a bald no helps nobody.")
    if outcome == Outcome.AGREED_IN_PART and not alternative.strip():
        raise ServiceError("Describe the alternative offered.")
    request.outcome, request.reason = outcome, reason
    request.alternative = alternative.strip() if outcome == Outcome.AGREED_IN_PART else ""
    request.decided_by, request.decided_at = actor, now
    request.decided_as = (
        FreedomRequest.DecidedAs.GO if move == Move.DECIDE else FreedomRequest.DecidedAs.DEPARTMENT
    )


def _answer_duplicates(primary: FreedomRequest, actor: User, now, only=None) -> None:
    """Requests linked as "same as" this one share its answer."""
    duplicates = primary.duplicates.select_for_update().filter(
        state__in=[State.WITH_GO, State.WITH_DEPARTMENT, State.ON_HOLD]
    )
    if only is not None:
        duplicates = duplicates.filter(pk=only)
    for duplicate in duplicates:
        RequestEvent.objects.create(
            request=duplicate,
            move=Move.ANSWER,
            from_state=duplicate.state,
            to_state=State.ANSWERED,
            actor=actor,
            comment=f"Answered with {primary.reference}",
        )
        for name in ("outcome", "reason", "alternative", "decided_by", "decided_as"):
            setattr(duplicate, name, getattr(primary, name))
        duplicate.decided_at, duplicate.state = now, State.ANSWERED
        duplicate._history_user = actor
        duplicate.save()


LINKABLE = (State.WITH_GO, State.WITH_DEPARTMENT, State.ON_HOLD)


def request_link_same_as(*, request: FreedomRequest, actor: User, primary: FreedomRequest):
    """Mark a request the same as an earlier one; if that one is answered, its answer serves
    this request too."""
    if not answers_request.test(actor, request):
        raise PermissionDenied
    if primary.pk == request.pk or primary.same_as_id == request.pk:
        raise ServiceError("A request cannot be the same as itself.")
    with transaction.atomic():
        locked = FreedomRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state not in LINKABLE:
            raise ServiceError("Only a request awaiting an answer can be linked.")
        locked.same_as = primary
        locked._history_user = actor
        locked._change_reason = f"Same as {primary.reference}"
        locked.save()
        if primary.state in (State.ANSWERED, State.RELAYED):
            _answer_duplicates(primary, actor, timezone.now(), only=locked.pk)
    return locked


def owner_add(*, department: Organisation, actor: User, user: User, topic: str) -> PolicyOwner:
    """An LAA lead (or an admin) names who owns a topic in their department."""
    if not actor.has_perm("freedoms.name_policy_owner", department):
        raise PermissionDenied
    if user.role != Role.OFFICIAL or user.organisation_id != department.pk:
        raise ServiceError(f"{user.email} is not an official of {department.short_name}.")
    if not topic.strip():
        raise ServiceError("Name the topic they own.")
    owner = PolicyOwner(department=department, user=user, topic=topic.strip())
    owner._history_user = actor
    owner.save()
    return owner


def brief_save(
    *, round_, department: Organisation | None, actor: User, topics: str, positions: str, no_go: str
) -> NegotiatingBrief:
    """A department's part of the negotiating brief, written by its officials (or the
    national team's part, by an admin)."""
    if not actor.has_perm("freedoms.write_brief", department):
        raise PermissionDenied
    if not topics.strip() or not positions.strip():
        raise ServiceError("Give the topics and the positions GOs may take.")
    with transaction.atomic():
        brief = NegotiatingBrief.objects.select_for_update().filter(
            round=round_, department=department
        ).order_by("pk").first() or NegotiatingBrief(round=round_, department=department)
        brief.topics, brief.positions, brief.no_go = (
            topics.strip(),
            positions.strip(),
            no_go.strip(),
        )
        brief.author = actor
        brief._history_user = actor
        brief.save()
    return brief


def _notify(request: FreedomRequest, event: RequestEvent) -> None:
    agreement = request.agreement
    move = Move(event.move)
    # Whoever now holds the request hears of it: the owner when it reaches the department,
    # the locality when it is asked for more or given the answer, otherwise the GO.
    if move in (Move.REFER, Move.PROVIDE, Move.RESUME):
        audience = [request.owner.user] if request.owner else []
    elif move in (Move.ASK, Move.RELAY):
        audience = locality_people(agreement)
    else:
        audience = go_people(agreement)
    body = f"{request.reference} {request.title}: {lower_first(move.label)}."
    if event.comment and move != Move.DECIDE:
        body += f"\n\n{event.comment}"
    notify(
        users=audience,
        subject=f"{request.reference}: {request.get_state_display()}",
        body=body,
        url=_url(request),
    )


def reminders_send(today: dt.date | None = None) -> int:
    """Remind owners before a due date, and escalate to the LAA lead after it: once each."""
    today = today or timezone.localdate()
    sent = 0
    waiting = FreedomRequest.objects.filter(
        state__in=CLOCK_RUNS, due_on__isnull=False
    ).select_related("owner__user", "department", "agreement__area", "agreement__round")
    for request in waiting:
        due_on = request.due_on
        if due_on is None:  # not among those waiting; read again for its type
            continue
        days_left = (due_on - today).days
        if days_left < 0:
            kind = RequestReminder.Kind.ESCALATED
            lead = PolicyOwner.objects.filter(department=request.department, is_laa_lead=True)
            audience = [o.user for o in lead.select_related("user")]
            subject = f"Overdue: {request.reference} was due on {request.due_on:%-d %B %Y}"
        elif days_left <= REMIND_DAYS_BEFORE:
            kind = RequestReminder.Kind.DUE_SOON
            audience = [request.owner.user] if request.owner else []
            subject = f"Due soon: {request.reference} is due on {request.due_on:%-d %B %Y}"
        else:
            continue
        try:
            with transaction.atomic():
                RequestReminder.objects.create(request=request, kind=kind, due_on=due_on)
                notify(
                    users=audience,
                    subject=subject,
                    body=f"{request.title} ({request.agreement.area}).",
                    url=_url(request),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
