"""/healthz reports the database, the broker and whether a worker answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import WorkerHeartbeat
from health.services import check_broker, forget_broker_check, heartbeat_record
from tests.services import REPORTED, SERVICES


def test_healthz_reports_each_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    reported = REPORTED[SERVICES["stack"]]
    assert report["database"] == {"ok": True, "vendor": reported["vendor"]}
    assert report["broker"] == {"ok": True, "transport": reported["transport"]}
    assert report["worker"]["ok"] is False
    assert report["status"] == "degraded"


def test_a_recent_heartbeat_means_a_worker_answered(client, db):
    heartbeat_record(hostname="worker@test")
    report = client.get("/healthz").json()
    assert report["worker"]["ok"] is True
    assert report["status"] == "ok"


def test_a_stale_heartbeat_does_not_count(client, db, settings):
    WorkerHeartbeat.objects.create(
        hostname="worker@test",
        seen_at=timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE - timedelta(seconds=1),
    )
    assert client.get("/healthz").json()["worker"]["ok"] is False


def test_an_unreachable_broker_is_reported(db):
    report = check_broker(url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert report == {"ok": False, "transport": "redis", "error": "OperationalError"}


@pytest.mark.redis
def test_healthz_notices_the_broker_stopping_and_coming_back(client, db):
    from tests.services import SERVICES

    redis = SERVICES.get("redis")
    if redis is None:
        pytest.skip("the broker comes from CELERY_BROKER_URL, not a server this suite started")
    redis.stop()
    try:
        report = client.get("/healthz")
        assert report.status_code == 200  # the web process itself is still healthy
        assert report.json()["broker"]["ok"] is False
    finally:
        redis.start()
    forget_broker_check()  # a probe's answer is reused for a few seconds
    assert client.get("/healthz").json()["broker"]["ok"] is True


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_is_read_only(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
