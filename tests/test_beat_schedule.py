"""Every job beat sends names a task that the workers know."""

from __future__ import annotations

from django.conf import settings

from laa_portal.celery import app


def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    scheduled = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert not {name: task for name, task in scheduled.items() if task not in app.tasks}


def test_the_request_log_and_lapsed_sessions_are_pruned_at_night():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["prune-api-requests"]["task"] == "api.tasks.prune_api_requests"
    assert schedule["prune-lapsed-sessions"]["task"] == "accounts.tasks.prune_lapsed_sessions"
    for name in ("prune-api-requests", "prune-lapsed-sessions"):
        assert schedule[name]["schedule"].hour == {3}
