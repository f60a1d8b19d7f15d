import datetime as dt

from celery import shared_task

from freedoms.services import reminders_send


@shared_task(name="freedoms.tasks.send_request_reminders")
def send_request_reminders(today: str | None = None) -> int:
    # `today` lets a test (or an operator re-running a missed day) fix the date.
    return reminders_send(dt.date.fromisoformat(today) if today else None)
