"""Reads of requests, the register and figures, scoped to the user asking."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import is_official
from agreements.completeness import Task, TaskStatus
from agreements.models import Agreement
from freedoms.lifecycle import OPEN_STATES, Move, Outcome, State
from freedoms.models import FreedomRequest, NegotiatingBrief
from freedoms.permissions import followed_requests, visible_requests

# Every list of requests shows this many a page.
PAGE_SIZE = 50

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
    return requests.filter(visible_requests(user))


def request_get(user: User, agreement: Agreement, number: int) -> FreedomRequest:
    return get_object_or_404(requests_for_agreement(user, agreement), number=number)


def requests_task(agreement: Agreement) -> Task:
    """The agreement's task list line for its requests: in progress while any is a draft,
    completed once every one has gone to the Government Office."""
    states = list(agreement.freedom_requests.values_list("state", flat=True))
    if not states:
        status = TaskStatus.NOT_STARTED
    elif State.DRAFT in states:
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.COMPLETED
    return Task(
        "Freedoms and flexibilities requests",
        status,
        reverse("freedoms:list", args=[agreement.round.slug, agreement.area.slug]),
    )


def requests_for_department(user: User) -> QuerySet[FreedomRequest]:
    return FreedomRequest.objects.filter(department_id=user.organisation_id).select_related(*BASE)


def brief_department(user: User):
    """The part of the brief this person writes for: their department's, or (for the
    national team, with no department) the national part."""
    return user.organisation if is_official.test(user) else None


def briefs_for(user: User, round_) -> QuerySet[NegotiatingBrief]:
    if not user.has_perm("freedoms.see_brief"):
        return NegotiatingBrief.objects.none()
    return round_.briefs.select_related("department", "author")


def _search(requests: QuerySet[FreedomRequest], text: str) -> QuerySet[FreedomRequest]:
    text = text.strip()
    if not text:
        return requests
    if connection.vendor == "postgresql":
        # Local: PostgreSQL's full-text search is used only on PostgreSQL.
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # The stored vector (kept by a trigger, see migration 0002) and its GIN index: the
        # words of each request are not worked out again for every search.
        query = SearchQuery(text, search_type="websearch", config="english")
        return (
            requests.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .filter(rank__gt=0.01)
            .order_by("-rank", "-decided_at", "-pk")
        )
    return search_text(requests, text)


# The text the PostgreSQL search vector is made of (see migration 0002).
SEARCHED_FIELDS = ("title", "ask", "obstacle", "reason")


# English endings taken off a word, as a stemmer would, so that "pooling" finds "pooled".
ENDINGS = ("'s", "ing", "ed", "es", "s")


def _stem(word: str) -> str:
    for ending in ENDINGS:
        if word.lower().endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    words = (word.strip("\"'.,;:!?()") for word in text.split())
    return [_stem(word) for word in words if word]


def _mentions(word: str) -> Q:
    return Q.create([(f"{field}__icontains", word) for field in SEARCHED_FIELDS], Q.OR)


def search_text(requests: QuerySet[FreedomRequest], text: str) -> QuerySet[FreedomRequest]:
    """The embedded database's search, which has no full-text search: every word (its
    ending taken off) must appear somewhere in the text the search vector is made of.
    It runs on any database; newest answers first."""
    for word in _words(text):
        requests = requests.filter(_mentions(word))
    return requests.order_by("-decided_at", "-pk")


def search_any_word(requests: QuerySet[FreedomRequest], words: list[str]):
    """Requests mentioning any of the words, those mentioning most of them first: what the
    embedded database does for a search that joins words with "or"."""
    words = [word for word in words if word]
    if not words:
        return requests.none()
    hits = sum(
        (Case(When(_mentions(word), then=Value(1)), default=Value(0)) for word in words),
        start=Value(0),
    )
    return (
        requests.filter(Q.create([_mentions(word) for word in words], Q.OR))
        .annotate(hits=hits)
        .order_by("-hits", "-decided_at", "-pk")
    )


def register(*, q: str = "", department: str = "", outcome: str = "") -> QuerySet[FreedomRequest]:
    """Answered requests across all areas. Open requests of other areas never appear here."""
    requests = FreedomRequest.objects.filter(state=State.RELAYED).select_related(*BASE)
    if department:
        requests = requests.filter(department__abbreviation=department)
    if outcome in Outcome.values:
        requests = requests.filter(outcome=outcome)
    requests = _search(requests, q)
    return requests if q.strip() else requests.order_by("-decided_at", "-pk")


def register_page(*, q: str = "", department: str = "", outcome: str = "", page=None) -> Page:
    """One page of the register. A search runs once: its ranked ids are counted and sliced
    here, and only the page's requests are then read in full. Without words, the count and
    the page each take the (state, decided_at) index."""
    requests = register(q=q, department=department, outcome=outcome)
    if not q.strip():
        return Paginator(requests, PAGE_SIZE).get_page(page)
    ids = list(requests.values_list("pk", flat=True))
    result: Page = Paginator(ids, PAGE_SIZE).get_page(page)  # of ids, then of their requests
    rows = FreedomRequest.objects.select_related(*BASE).in_bulk(result.object_list)
    result.object_list = [rows[pk] for pk in result.object_list if pk in rows]
    return result


# Similar answered requests help while a request is still being written or weighed.
SHOWS_SIMILAR = frozenset({State.DRAFT, State.WITH_GO, State.WITH_DEPARTMENT})


def similar_requests_while_weighed(request: FreedomRequest) -> list[FreedomRequest]:
    return similar_requests(request) if request.state in SHOWS_SIMILAR else []


def similar_requests(request: FreedomRequest, limit: int = 5) -> list[FreedomRequest]:
    """Answered requests elsewhere that read like this one."""
    others = (
        FreedomRequest.objects.filter(state=State.RELAYED)
        .exclude(agreement__area_id=request.agreement.area_id)
        .select_related(*BASE)
    )
    words = [word for word in request.title.split() if len(word) > 3]
    if not words:
        return []
    if connection.vendor != "postgresql":
        return list(search_any_word(others, _words(" ".join(words)))[:limit])
    return list(_search(others, " or ".join(words))[:limit])


def overdue(user: User, today=None) -> QuerySet[FreedomRequest]:
    today = today or timezone.localdate()
    requests = (
        FreedomRequest.objects.filter(state=State.WITH_DEPARTMENT, due_on__lt=today)
        .select_related(*BASE)
        .order_by("due_on", "pk")
    )
    return requests.filter(followed_requests(user))


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the value at a fraction of the ordered values,
    interpolated between the two nearest."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def _percentile(values: list[float], fraction: float) -> float | None:
    """As percentile_cont: interpolated between the nearest two of the ordered values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _days(value: dt.timedelta | None) -> float | None:
    return None if value is None else value.total_seconds() / 86400


def figures(round_) -> dict:
    """The round's requests in figures, counted by the database: a few rows of counts and
    the times to answer, never every request."""
    # The round's agreements as a subquery, not a join: each agreement's requests are then
    # read from the request_figures index alone.
    agreements = Agreement.objects.filter(round=round_).values("pk")
    requests = FreedomRequest.objects.filter(agreement__in=agreements).exclude(state=State.DRAFT)
    by_outcome = {label: 0 for _, label in Outcome.choices}
    labels = dict(Outcome.choices)
    by_department: dict[str, dict[str, int]] = {}
    total = 0
    groups = list(
        requests.values_list("department_id", "outcome", "state").annotate(n=Count("pk")).order_by()
    )
    # Departments by id afterwards: joining them in would make the database read the rows.
    names = dict(
        Organisation.objects.filter(pk__in={group[0] for group in groups}).values_list(
            "pk", "abbreviation"
        )
    )
    for department_id, outcome, state, n in groups:
        name = names[department_id] if department_id else "Not yet routed"
        row = by_department.setdefault(name, {"total": 0, "answered": 0, "open": 0})
        row["total"] += n
        total += n
        if outcome:
            label = labels.get(outcome, outcome)
            by_outcome[label] = by_outcome.get(label, 0) + n
            row["answered"] += n
        if state in OPEN_STATES:
            row["open"] += n

    answered = requests.exclude(outcome="").filter(
        submitted_at__isnull=False, decided_at__isnull=False
    )
    to_answer = ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        times = answered.aggregate(
            median=PercentileCont(to_answer, 0.5, output_field=DurationField()),
            p90=PercentileCont(to_answer, 0.9, output_field=DurationField()),
        )
        median_days, p90_days = _days(times["median"]), _days(times["p90"])
    else:
        days = [
            day
            for value in answered.values_list(to_answer, flat=True)
            if (day := _days(value)) is not None
        ]
        median_days, p90_days = _percentile(days, 0.5), _percentile(days, 0.9)

    oldest = (
        requests.filter(state__in=OPEN_STATES, submitted_at__isnull=False)
        .select_related("agreement__area")
        .only("number", "title", "submitted_at", "agreement__area__slug")
        .order_by("submitted_at", "pk")
        .first()
    )
    return {
        "total": total,
        "by_outcome": by_outcome,
        "by_department": dict(sorted(by_department.items())),
        "median_days": median_days,
        "p90_days": p90_days,
        "oldest_open": oldest,
        "oldest_open_days": (
            (timezone.now() - oldest.submitted_at).days if oldest and oldest.submitted_at else None
        ),
    }


def events_for(user: User, request: FreedomRequest) -> list:
    """A request's history. The locality hears the answer (and its reasons) when the GO
    relays it, not before: until then those entries show without their text."""
    events = list(request.events.select_related("actor"))
    if not user.has_perm("freedoms.see_outcome", request):
        for event in events:
            if event.move in (Move.ANSWER, Move.DECIDE):
                event.comment = ""
    return events
