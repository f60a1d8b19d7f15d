from celery import shared_task
from django.db import OperationalError

from notifications.services import digests_send, notification_send, notifications_redispatch


@shared_task(
    name="notifications.tasks.send_notification",
    # A mail server or database that is briefly unavailable: try again later. The row
    # stays unsent until a try succeeds, so nothing is lost and nothing goes twice.
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=8,
)
def send_notification(notification_id: int) -> bool:
    return notification_send(notification_id=notification_id)


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return digests_send()


@shared_task(name="notifications.tasks.redispatch_notifications")
def redispatch_notifications() -> int:
    return notifications_redispatch()
