from celery import shared_task

from accounts.sessions.services import sessions_prune_lapsed


@shared_task(name="accounts.tasks.prune_lapsed_sessions")
def prune_lapsed_sessions() -> tuple[int, int]:
    return sessions_prune_lapsed()
