from celery import shared_task
from django.db import OperationalError

from notifications.services import digests_send, notification_send


@shared_task(
    name="notifications.tasks.send_notification",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification(notification_id: int) -> bool:
    return notification_send(notification_id=notification_id)


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return digests_send()
