"""An agreement's freedoms requests as its negotiation reads and writes them: the ones still
to settle before the remaining items are agreed, carrying them to the refresh, and the
requests each version freezes. Registered with negotiation (negotiations.registry) when the
app is ready, so that negotiation need not import this app."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from accounts.models import User
from agreements.models import Agreement
from freedoms.lifecycle import State
from freedoms.models import FreedomRequest
from negotiations import registry


def requests_not_settled(agreement: Agreement) -> QuerySet[FreedomRequest]:
    """Submitted requests neither answered and relayed nor carried to the refresh. A draft
    request is not part of the negotiation."""
    return (
        FreedomRequest.objects.filter(agreement=agreement, deferred_to_refresh_at__isnull=True)
        .exclude(state__in=[State.DRAFT, State.RELAYED])
        .only("pk", "number", "title", "state", "version", "agreement_id")
        .order_by("number")
    )


def request_carry_to_refresh(
    request: FreedomRequest, *, actor: User, when: dt.datetime, reason: str
) -> None:
    """Within the caller's transaction: the request is carried to the refresh."""
    carried = FreedomRequest.objects.select_for_update().get(pk=request.pk)
    carried.deferred_to_refresh_at = when
    carried.version += 1
    carried._history_user = actor
    carried._change_reason = reason
    carried.save(update_fields=["deferred_to_refresh_at", "version", "updated_at"])


def requests_frozen(agreement: Agreement) -> list[dict]:
    """The agreement's freedoms and flexibilities requests. The answer (outcome, reason,
    alternative) is frozen only once the GO has relayed it to the locality: a version is
    read by the locality and its partners, who hear an answer when it is relayed."""
    items = []
    for request in agreement.freedom_requests.select_related("department").order_by("number"):
        request.agreement = agreement  # for its reference, without another query
        relayed = request.state == State.RELAYED
        items.append(
            {
                "key": f"request:{request.number}",
                "number": request.number,
                "reference": request.reference,
                "title": request.title,
                "department": request.department.abbreviation if request.department_id else "",
                "state": request.state,
                "outcome": request.outcome if relayed else "",
                "reason": request.reason if relayed else "",
                "alternative": request.alternative if relayed else "",
            }
        )
    return items


def register() -> None:
    registry.register_requests(
        registry.RequestHooks(
            not_settled=requests_not_settled,
            carry_to_refresh=request_carry_to_refresh,
            frozen=requests_frozen,
        )
    )
