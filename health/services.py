"""Checks of the parts the portal depends on, and the heartbeat workers leave."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
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


def check_broker(*, url: str | None = None) -> dict:
    from laa_portal.celery import app

    url = url or app.conf.broker_url
    transport = url.split("://", 1)[0]
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # the broker library raises several kinds of error
        logger.warning("Health check: broker unavailable: %s", exc)
        return {"ok": False, "transport": transport, "error": type(exc).__name__}
    return {"ok": True, "transport": transport}


def check_worker(*, database_ok: bool) -> dict:
    if not database_ok:
        return {"ok": False, "last_seen": None}
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
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
    if not database["ok"]:
        status = "unavailable"
    elif broker["ok"] and worker["ok"]:
        status = "ok"
    else:
        status = "degraded"
    report = {"status": status, "database": database, "broker": broker, "worker": worker}
    return report, 200 if database["ok"] else 503
