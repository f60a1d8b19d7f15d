"""A real Celery worker process on the test broker (Redis, or the embedded stack's filesystem
folders) and the test database."""

import pytest

from health.models import WorkerHeartbeat
from health.tasks import record_worker_heartbeat
from tests.conftest import wait_until
from tests.services import REPORTED, SERVICES

pytestmark = pytest.mark.celery


def test_worker_runs_a_queued_job_and_healthz_sees_it(celery_worker_process, client):
    WorkerHeartbeat.objects.all().delete()
    assert client.get("/healthz").json()["worker"]["ok"] is False

    record_worker_heartbeat.delay()

    heartbeat = wait_until(
        lambda: WorkerHeartbeat.objects.first(),
        timeout=30,
        message=f"the worker did not run the job:\n{celery_worker_process.log()}",
    )
    assert heartbeat.hostname.startswith("test-worker@")
    report = client.get("/healthz").json()
    assert report["worker"]["ok"] is True
    assert report["broker"]["transport"] == REPORTED[SERVICES["stack"]]["transport"]
    assert report["status"] == "ok"
    assert "health.tasks.record_worker_heartbeat" in celery_worker_process.log()
