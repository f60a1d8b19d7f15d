from celery import shared_task

from negotiations.timetable import reminders_send


@shared_task(name="negotiations.tasks.send_milestone_reminders")
def send_milestone_reminders() -> int:
    return reminders_send()
