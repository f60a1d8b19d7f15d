"""Reads of requests, the register and figures, scoped to the user asking."""

from __future__ import annotations

import statistics

from django.db import connection
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Role, User
from agreements.models import Agreement
from freedoms.lifecycle import OPEN_STATES, Outcome, State
from freedoms.models import FreedomRequest, NegotiatingBrief

BASE = (
    "agreement__area__government_office",
    "agreement__round",
    "department",
    "owner__user",
    "decided_by",
)


def requests_for_agreement(user: User, agreement: Agreement) -> QuerySet[FreedomRequest]:
    """Requests of an agreement the user may already see (the caller checked that)."""
    requests = agreement.freedom_requests.select_related(*BASE).order_by("number")
    if user.role == Role.OFFICIAL:
        return requests.filter(department_id=user.organisation_id)
    return requests


def request_get(user: User, agreement: Agreement, number: int) -> FreedomRequest:
    return get_object_or_404(requests_for_agreement(user, agreement), number=number)


def requests_for_department(user: User) -> QuerySet[FreedomRequest]:
    return FreedomRequest.objects.filter(department_id=user.organisation_id).select_related(*BASE)


def may_see_brief(user: User) -> bool:
    return user.role in (Role.NEGOTIATOR, Role.OFFICIAL, Role.ADMIN)


def briefs_for(user: User, round_) -> QuerySet[NegotiatingBrief]:
    if not may_see_brief(user):
        return NegotiatingBrief.objects.none()
    return round_.briefs.select_related("department", "author")


def _search(requests: QuerySet[FreedomRequest], text: str) -> QuerySet[FreedomRequest]:
    text = text.strip()
    if not text:
        return requests
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("ask", "obstacle", weight="B", config="english")
            + SearchVector("reason", weight="C", config="english")
        )
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            requests.annotate(rank=SearchRank(vector, query))
            .filter(rank__gt=0.01)
            .order_by("-rank", "-decided_at")
        )
    # The embedded database has no full-text search: every word must appear somewhere.
    for word in text.split():
        requests = requests.filter(
            Q(title__icontains=word) | Q(ask__icontains=word) | Q(obstacle__icontains=word)
        )
    return requests


def register(*, q: str = "", department: str = "", outcome: str = "") -> QuerySet[FreedomRequest]:
    """Answered requests across all areas. Open requests of other areas never appear here."""
    requests = FreedomRequest.objects.filter(state=State.RELAYED).select_related(*BASE)
    if department:
        requests = requests.filter(department__abbreviation=department)
    if outcome in Outcome.values:
        requests = requests.filter(outcome=outcome)
    requests = _search(requests, q)
    return requests if q else requests.order_by("-decided_at")


def similar_requests(request: FreedomRequest, limit: int = 5) -> list[FreedomRequest]:
    """Answered requests elsewhere that read like this one."""
    others = (
        FreedomRequest.objects.filter(state=State.RELAYED)
        .exclude(agreement__area_id=request.agreement.area_id)
        .select_related(*BASE)
    )
    text = " or ".join(word for word in request.title.split() if len(word) > 3)
    if connection.vendor != "postgresql":
        text = max(request.title.split(), key=len, default="")
    return list(_search(others, text)[:limit]) if text else []


def overdue(user: User, today=None) -> QuerySet[FreedomRequest]:
    today = today or timezone.localdate()
    requests = (
        FreedomRequest.objects.filter(state=State.WITH_DEPARTMENT, due_on__lt=today)
        .select_related(*BASE)
        .order_by("due_on")
    )
    if user.role == Role.NEGOTIATOR:
        return requests.filter(agreement__area__government_office_id=user.organisation_id)
    if user.role == Role.OFFICIAL:
        return requests.filter(department_id=user.organisation_id)
    if user.role == Role.ADMIN:
        return requests
    return requests.none()


def _percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def figures(round_) -> dict:
    requests = list(
        FreedomRequest.objects.filter(agreement__round=round_)
        .exclude(state=State.DRAFT)
        .select_related("department", "agreement__area")
    )
    by_outcome = {label: 0 for _, label in Outcome.choices}
    by_department: dict[str, dict[str, int]] = {}
    days = []
    for request in requests:
        name = request.department.abbreviation if request.department_id else "Not yet routed"
        row = by_department.setdefault(name, {"total": 0, "answered": 0, "open": 0})
        row["total"] += 1
        if request.outcome:
            by_outcome[request.get_outcome_display()] += 1
            row["answered"] += 1
            if request.submitted_at and request.decided_at:
                days.append((request.decided_at - request.submitted_at).total_seconds() / 86400)
        if request.state in OPEN_STATES:
            row["open"] += 1
    open_requests = [r for r in requests if r.state in OPEN_STATES and r.submitted_at]
    oldest = min(open_requests, key=lambda r: r.submitted_at, default=None)
    return {
        "total": len(requests),
        "by_outcome": by_outcome,
        "by_department": dict(sorted(by_department.items())),
        "median_days": statistics.median(days) if days else None,
        "p90_days": _percentile(days, 0.9),
        "oldest_open": oldest,
        "oldest_open_days": (timezone.now() - oldest.submitted_at).days if oldest else None,
    }


def events_for(user: User, request: FreedomRequest) -> list:
    """A request's history. The locality hears the answer (and its reasons) when the GO
    relays it, not before: until then those entries show without their text."""
    from freedoms.lifecycle import Move

    events = list(request.events.select_related("actor"))
    if user.role in (Role.COORDINATOR, Role.PARTNER) and request.state != State.RELAYED:
        for event in events:
            if event.move in (Move.ANSWER, Move.DECIDE):
                event.comment = ""
    return events
