"""Telling people what happened, after the change that caused it has committed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.broker import publish
from notifications.models import Frequency, Notification


def notify(*, users: Iterable, subject: str, body: str, url: str = "") -> list[Notification]:
    """Record a notification for each user (by their chosen frequency) and, for those who
    want it immediately, queue the e-mail once the surrounding transaction commits. If the
    transaction rolls back, the rows vanish with it and nothing is sent. Queueing never
    fails the change that caused it: with the broker away the row waits for redispatch."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        frequency = user.notification_frequency
        if frequency == Frequency.NONE:
            continue
        notification = Notification.objects.create(
            user=user, subject=subject[:200], body=body, url=url, delivery=frequency
        )
        created.append(notification)
        if frequency == Frequency.IMMEDIATE:
            transaction.on_commit(partial(notification_dispatch, pk=notification.pk))
    return created


SEND_TASK = "notifications.tasks.send_notification"


def notification_dispatch(*, pk: int, redispatch: bool = False) -> bool:
    """Send one notification's id to the workers, bounded in time; note when it went."""
    if not publish(SEND_TASK, pk, even_if_recently_failed=redispatch):
        return False
    Notification.objects.filter(pk=pk, sent_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def notifications_redispatch(*, now=None) -> int:
    """Send again the immediate notifications still unsent whose message never reached the
    broker, or went long enough ago to have been lost. Sending is guarded by the row
    (`notification_send`), so a message that arrives twice still sends one e-mail."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_REDISPATCH_SECONDS)
    # A row made moments ago is being dispatched by its own request: leave it that long.
    settled = now - timedelta(seconds=30)
    ids = list(
        Notification.objects.filter(delivery=Frequency.IMMEDIATE, sent_at__isnull=True)
        .filter(Q(dispatched_at__isnull=True, created_at__lt=settled) | Q(dispatched_at__lt=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    sent = 0
    for pk in ids:
        if not notification_dispatch(pk=pk, redispatch=True):
            break  # the broker is still away: the next beat tries again
        sent += 1
    return sent


def _full_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}" if path else settings.PORTAL_BASE_URL


def notification_send(*, notification_id: int) -> bool:
    """Send one immediate notification; safe to run twice (the second finds it sent)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("user")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        send_mail(
            subject=notification.subject,
            message=f"{notification.body}\n\n{_full_url(notification.url)}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return True


def digests_send() -> int:
    """One e-mail per person gathering their unsent daily notifications."""
    sent = 0
    user_ids = (
        Notification.objects.filter(delivery=Frequency.DAILY, sent_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(user_ids):
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update()
                .select_related("user")
                .filter(user_id=user_id, delivery=Frequency.DAILY, sent_at__isnull=True)
                .order_by("created_at")
            )
            if not items:
                continue
            lines = [f"- {n.subject}\n  {_full_url(n.url)}" for n in items]
            send_mail(
                subject=f"LAA Portal: {len(items)} update{'s' if len(items) != 1 else ''}",
                message="Here is what happened on the LAA Portal:\n\n" + "\n".join(lines) + "\n",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[items[0].user.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=timezone.now())
            sent += 1
    return sent
