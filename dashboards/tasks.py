import datetime as dt

from celery import shared_task

from dashboards.services import weekly_summaries_send


@shared_task(name="dashboards.tasks.send_weekly_summaries")
def send_weekly_summaries(today: str | None = None) -> int:
    # `today` lets a test (or an operator re-running a missed week) fix the date.
    return weekly_summaries_send(today=dt.date.fromisoformat(today) if today else None)
