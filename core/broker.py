"""Talking to the broker from web requests, bounded in time.

The database row (a job, a notification) is the truth; a broker message only tells a worker
to look at it. So a web request never waits long on the broker and never fails because of
it: `publish` tries once, within the transport's timeouts (settings: BROKER_TIMEOUT), and
after a failure this process stops trying for BROKER_RETRY_AFTER seconds, so that a broker
that hangs costs one request that long, not every request. Rows that were not sent are
sent again by beat's redispatch tasks once the broker answers.

The Celery application is the project's (`laa_portal.celery`, made the default in every
thread there), reached as Celery's `current_app` so that this bottom layer imports nothing
above it.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from celery import current_app as app
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_down_until = 0.0  # time.monotonic() before which this process does not try to publish


def _mark_down() -> None:
    global _down_until
    with _lock:
        _down_until = time.monotonic() + settings.BROKER_RETRY_AFTER


def _mark_up() -> None:
    global _down_until
    with _lock:
        _down_until = 0.0


def recently_failed() -> bool:
    return time.monotonic() < _down_until


def publish(
    task_name: str, *args, countdown: float | None = None, even_if_recently_failed=False
) -> bool:
    """Send one message; True if the broker took it. Never raises: on any failure the
    caller's row stays unsent for beat to send again. Beat's redispatch tasks try even
    just after a failure (`even_if_recently_failed`): sending again is their job."""
    if recently_failed() and not even_if_recently_failed:
        logger.info("not sending %s%r: the broker failed moments ago", task_name, args)
        return False
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1,
                interval_start=0,
                interval_step=0,
                timeout=settings.BROKER_TIMEOUT,
            )
            app.send_task(
                task_name,
                args=[str(a) if isinstance(a, uuid.UUID) else a for a in args],
                connection=connection,
                retry=False,
                countdown=countdown,
            )
    except Exception as error:  # the broker libraries raise many kinds of error
        logger.warning("could not send %s%r to the broker: %s", task_name, args, error)
        _mark_down()
        return False
    _mark_up()
    return True


def reset() -> None:
    """Forget an earlier failure (for tests, and after the broker is known to be back)."""
    _mark_up()
