"""Checks of the parts the portal depends on, and the heartbeat workers leave."""

from __future__ import annotations

import logging
import threading
import time

from celery import current_app as app
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from health.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return heartbeat


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means the database is unusable
        logger.warning("Health check: database unavailable: %s", exc)
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _probe_broker(url: str) -> dict:
    transport = url.split("://", 1)[0]
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_CHECK_SECONDS
            )
            # Connecting is not answering: a hung server accepts connections. Ask it
            # something, within the transport's socket timeout (settings.BROKER_TIMEOUT).
            with conn.channel() as channel:
                client = getattr(channel, "client", None)
                if client is not None and hasattr(client, "ping"):
                    client.ping()
    except Exception as exc:  # the broker library raises several kinds of error
        logger.warning("Health check: broker unavailable: %s", exc)
        return {"ok": False, "transport": transport, "error": type(exc).__name__}
    return {"ok": True, "transport": transport}


# How long /healthz waits for the broker's answer, and how long an answer is reused.
BROKER_CHECK_SECONDS = 1.5
BROKER_CHECK_REUSE_SECONDS = 5.0


class _BrokerCheck:
    """One probe of the broker at a time per process, in a thread of its own.

    A load balancer polls /healthz many times a second across web threads; against a broker
    that hangs, each poll must not hold its thread until the socket times out. So a poll
    starts a probe only when none is running and the last answer is stale, waits for it at
    most BROKER_CHECK_SECONDS, and otherwise answers "not answering" at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._result: dict | None = None
        self._url = ""
        self._checked_at = 0.0
        self._running: threading.Thread | None = None
        self._done = threading.Event()

    def _run(self, url: str) -> None:
        result = _probe_broker(url)
        with self._lock:
            self._result, self._url, self._checked_at = result, url, time.monotonic()
            self._running = None
        self._done.set()

    def __call__(self, url: str) -> dict:
        transport = url.split("://", 1)[0]
        with self._lock:
            fresh = time.monotonic() - self._checked_at < BROKER_CHECK_REUSE_SECONDS
            if self._result is not None and fresh and self._url == url:
                return self._result
            if self._running is None:
                self._done = threading.Event()
                self._running = threading.Thread(
                    target=self._run, args=(url,), name="broker-check", daemon=True
                )
                self._running.start()
            done = self._done
        if done.wait(BROKER_CHECK_SECONDS):
            with self._lock:
                if self._result is not None and self._url == url:
                    return self._result
        return {"ok": False, "transport": transport, "error": "Timeout"}

    def forget(self) -> None:
        with self._lock:
            self._result, self._checked_at = None, 0.0


_broker_check = _BrokerCheck()


def forget_broker_check() -> None:
    _broker_check.forget()


def check_broker(*, url: str | None = None) -> dict:
    """Whether the broker answers, within BROKER_CHECK_SECONDS whatever it does."""
    return _broker_check(url or app.conf.broker_url)


def check_worker(*, database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "last_seen": None}
    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except DatabaseError as exc:  # the database went away since it was checked
        logger.warning("Health check: database unavailable: %s", exc)
        return {"ok": False, "last_seen": None, "error": type(exc).__name__}
    if latest is None:
        return {"ok": False, "last_seen": None}
    age = timezone.now() - latest.seen_at
    return {
        "ok": age <= settings.WORKER_HEARTBEAT_MAX_AGE,
        "last_seen": latest.seen_at.isoformat(),
        "age_seconds": round(age.total_seconds()),
    }


def health_report() -> tuple[dict, int]:
    """The portal's state, and the HTTP status to answer with.

    Only a broken database makes the web process unhealthy (503): a restart of the web
    process cannot mend a stopped broker or worker, so those report "degraded" instead.
    """
    database = check_database()
    broker = check_broker()
    worker = check_worker(database_ok=database["ok"])
    if worker.get("error"):
        database = {"ok": False, "vendor": database["vendor"], "error": worker["error"]}
    if not database["ok"]:
        status = "unavailable"
    elif broker["ok"] and worker["ok"]:
        status = "ok"
    else:
        status = "degraded"
    report = {"status": status, "database": database, "broker": broker, "worker": worker}
    return report, 200 if database["ok"] else 503
