"""Telling people what happened, after the change that caused it has committed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Frequency, Notification


def notify(*, users: Iterable, subject: str, body: str, url: str = "") -> list[Notification]:
    """Record a notification for each user (by their chosen frequency) and, for those who
    want it immediately, queue the e-mail once the surrounding transaction commits. If the
    transaction rolls back, the rows vanish with it and nothing is sent."""
    from notifications.tasks import send_notification

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
            transaction.on_commit(lambda pk=notification.pk: send_notification.delay(pk))
    return created


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
