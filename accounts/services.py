"""Changes people make to their own accounts, and the security log."""

from __future__ import annotations

import logging

from django.http import HttpRequest

from accounts.models import SecurityEvent, User
from accounts.security import client_address

security_logger = logging.getLogger("laa_portal.security")


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    subject: User | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Adds a line to the security log (a row people can read, and a line in the
    application log for monitoring). `detail` is plain words and never a secret."""
    address = client_address(request)
    event = SecurityEvent.objects.create(
        kind=str(kind),
        actor=actor if actor is not None and actor.pk else None,
        subject=subject if subject is not None and subject.pk else None,
        address=address,
        detail=detail[:300],
    )
    security_logger.info(
        "%s subject_id=%s actor_id=%s address=%s %s",
        event.kind,
        event.subject_id,
        event.actor_id,
        address or "unknown",
        event.detail,
    )
    return event


def user_set_notification_frequency(*, user: User, frequency: str) -> User:
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])
    return user
