"""The confirmation panel shown once after a person submits an agreement or signs it: what
was done, what happens next and who was told.

The view that made the change keeps the panel's words and the notifications the service
sent in the session; the next page of that agreement shows them once and forgets them.
The people named are read from those notifications, so the panel names exactly who the
portal told, never a second guess at who it should have told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from notifications.models import Notification

SESSION_KEY = "laa_confirmation"


@dataclass(frozen=True)
class Told:
    name: str
    role: str
    organisation: str


@dataclass(frozen=True)
class Confirmation:
    title: str
    body: str
    next_steps: list[str]
    told: list[Told]


def remember(
    request,
    *,
    agreement,
    title: str,
    body: str = "",
    next_steps: Iterable[str] = (),
    notifications: Iterable[Notification] = (),
) -> None:
    request.session[SESSION_KEY] = {
        "agreement": agreement.pk,
        "title": title,
        "body": body,
        "next_steps": list(next_steps),
        "notifications": [n.pk for n in notifications],
    }


def take(request, agreement) -> Confirmation | None:
    """The panel kept for this agreement, once; None if there is none."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("agreement") != agreement.pk:
        return None
    del request.session[SESSION_KEY]
    rows = (
        Notification.objects.filter(pk__in=kept["notifications"])
        .select_related("user__organisation")
        .order_by("user__organisation__name", "user__full_name")
    )
    told = []
    for notification in rows:
        user = notification.user
        told.append(
            Told(
                name=user.get_full_name(),
                role=user.get_role_display() if user.role else "",
                organisation=user.organisation.name if user.organisation_id else "",
            )
        )
    return Confirmation(
        title=kept["title"], body=kept["body"], next_steps=kept["next_steps"], told=told
    )
