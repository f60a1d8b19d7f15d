"""Requests awaiting each user's action, for their home page."""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse

from accounts.models import Role, User
from freedoms.lifecycle import State
from freedoms.models import FreedomRequest
from negotiations.work import WorkItem


def request_work(user: User, *, limit: int | None = None) -> tuple[list[WorkItem], int]:
    """The requests awaiting the user, soonest due first (at most `limit` of them), and how
    many there are in all, counted in the same query."""
    requests = FreedomRequest.objects.select_related("agreement__area", "agreement__round").only(
        "number",
        "title",
        "due_on",
        "agreement__area__name",
        "agreement__area__slug",
        "agreement__round__slug",
    )
    if user.role == Role.OFFICIAL:
        requests = requests.filter(department_id=user.organisation_id, state=State.WITH_DEPARTMENT)
        task = "Answer the freedoms and flexibilities request"
    elif user.role == Role.NEGOTIATOR:
        requests = requests.filter(
            agreement__area__government_office_id=user.organisation_id,
            state__in=[State.WITH_GO, State.ANSWERED],
        )
        task = "Triage or relay the freedoms and flexibilities request"
    elif user.role == Role.COORDINATOR and user.organisation_id:
        requests = requests.filter(
            agreement__area_id=user.organisation.area_id, state=State.MORE_INFORMATION
        )
        task = "Send the information asked for"
    else:
        return [], 0
    requests = requests.annotate(total=Window(Count("pk"))).order_by("due_on", "pk")
    requests = list(requests[:limit] if limit is not None else requests)
    items = [
        WorkItem(
            f"{r.agreement.area.name}: {r.title}",
            task,
            reverse(
                "freedoms:detail", args=[r.agreement.round.slug, r.agreement.area.slug, r.number]
            ),
            due_on=r.due_on,
        )
        for r in requests
    ]
    return items, requests[0].total if requests else 0
