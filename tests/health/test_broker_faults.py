"""A broker that hangs or stops never takes the portal down and loses nothing.

A hung Redis accepts connections and never answers. Here that is a socket the test starts,
which accepts and stays silent: `/healthz`, a PDF request, a workflow move and a comment
each answer within the broker's bound, their rows wait unsent, and beat's redispatch sends
them once the broker answers again.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from agreements.stages import Action, Stage
from health.services import check_broker
from jobs import services as job_services
from jobs.models import Job, State
from notifications.models import Notification
from notifications.services import notifications_redispatch
from tests.factories import AgreementFactory, UserFactory

# What a request may cost against a broker that never answers: the broker timeout, plus a
# margin for a slow machine. The point is that it ends; a hung broker used to hold a
# request for 90 s and more.
BOUND = settings.BROKER_TIMEOUT + 5


class SilentBroker:
    """A TCP server that accepts every connection and never says a word."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0), backlog=200)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


def use_broker(url: str, transport_options: dict) -> None:
    """Points the portal's Celery app at another broker (Celery reads the URL from the
    environment first)."""
    import os

    from laa_portal.celery import app

    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options


def use_the_stacks_broker() -> None:
    use_broker(settings.CELERY_BROKER_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS)


@pytest.fixture
def silent_broker():
    """Points the portal at a silent broker, with the production transport's timeouts
    (whatever broker this stack otherwise uses), and back afterwards."""
    from core import broker

    silent = SilentBroker()
    use_broker(
        silent.url,
        {
            "socket_connect_timeout": settings.BROKER_TIMEOUT,
            "socket_timeout": settings.BROKER_TIMEOUT,
            "max_retries": 1,
        },
    )
    try:
        yield silent
    finally:
        use_the_stacks_broker()
        broker.reset()
        silent.close()


def timed(call):
    """Calls `call` and returns (result, seconds), failing if it took longer than BOUND.
    (In this thread: a request must use the test's database connection.)"""
    started = time.monotonic()
    result = call()
    seconds = time.monotonic() - started
    assert seconds < BOUND, f"waited {seconds:.1f} s on the broker"
    return result, seconds


def timed_in_thread(call):
    """Runs `call` (which must not use the database) in a thread and returns (result,
    seconds); fails if it has not ended within BOUND, leaving the thread behind as a hung
    request would be."""
    outcome = {}

    def run():
        started = time.monotonic()
        outcome["result"] = call()
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive(), f"still waiting on the broker after {BOUND} s"
    return outcome["result"], outcome["seconds"]


def test_healthz_answers_degraded_within_its_bound(client, db, silent_broker):
    response, _ = timed(lambda: client.get("/healthz"))
    assert response.status_code == 200  # the web process itself is healthy
    report = response.json()
    assert report["status"] == "degraded"
    assert report["broker"]["ok"] is False


def test_many_health_polls_share_one_probe_of_a_silent_broker(db, silent_broker):
    """A load balancer's polls never queue up on the broker: one probe runs at a time and
    every poll answers within the health check's own bound."""
    from health import services as health

    def probes() -> set[threading.Thread]:
        return {t for t in threading.enumerate() if t.name == "broker-check"}

    earlier = probes()
    results, threads = [], []
    for _ in range(40):
        thread = threading.Thread(target=lambda: results.append(timed_in_thread(check_broker)))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 40
    assert all(report["ok"] is False for report, _ in results)
    assert max(seconds for _, seconds in results) < health.BROKER_CHECK_SECONDS + 1
    # The polls gave up waiting; the probe they share is still waiting on the socket
    # (until BROKER_TIMEOUT), and it is the only one.
    assert len(probes() - earlier) == 1
    assert len(silent_broker.held) == 1


def test_after_a_failed_publish_the_process_leaves_the_broker_alone(db, silent_broker):
    """A hung broker costs one request its timeout; the next requests of the process do not
    even connect (their rows wait for beat), while beat's redispatch still tries."""
    from core.broker import publish

    assert publish("health.tasks.record_worker_heartbeat") is False
    connections = len(silent_broker.held)
    assert connections >= 1
    assert publish("health.tasks.record_worker_heartbeat") is False
    assert len(silent_broker.held) == connections  # not even a connection attempt
    assert publish("health.tasks.record_worker_heartbeat", even_if_recently_failed=True) is False
    assert len(silent_broker.held) > connections


def test_a_pdf_request_move_and_comment_answer_and_are_sent_later(
    client, db, silent_broker, django_capture_on_commit_callbacks
):
    drafted = AgreementFactory(drafting=True)
    coordinator = drafted.opened_by
    in_review = AgreementFactory(in_review=True)
    negotiator = UserFactory(negotiator=True, area=in_review.area)
    in_review_coordinator = in_review.opened_by

    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = timed(
            lambda: client.post(f"/jobs/agreements/2008-11/{drafted.area.slug}/pdf/")
        )
    job = Job.objects.get(requested_by=coordinator)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == State.QUEUED and job.dispatched_at is None
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Your request is saved and will be sent to a worker" in page

    client.force_login(negotiator)
    before = timezone.now()
    base = f"/agreements/2008-11/{in_review.area.slug}/negotiation/"
    with django_capture_on_commit_callbacks(execute=True):
        moved, _ = timed(
            lambda: client.post(
                f"{base}move/",
                {
                    "action": Action.RETURN,
                    "expected_stage": Stage.IN_REVIEW,
                    "comment": "Please add the census evidence",
                },
            )
        )
        commented, _ = timed(
            lambda: client.post(
                f"{base}comments/",
                {
                    "anchor": "section:agreement",
                    "kind": "comment",
                    "visibility": "locality",
                    "body": f"@{in_review_coordinator.email} see the returned draft.",
                },
            )
        )
    assert moved.status_code == 302 and commented.status_code == 302
    owed = Notification.objects.filter(
        user=in_review_coordinator, delivery="immediate", created_at__gte=before
    )
    assert owed.filter(body__contains="census evidence").exists()
    assert owed.filter(subject__contains="mentioned you").exists()
    assert not owed.filter(dispatched_at__isnull=False).exists()

    # The broker answers again: beat's redispatch sends every row that was kept.
    use_the_stacks_broker()
    assert job_services.jobs_redispatch() >= 1
    assert Job.objects.get(pk=job.pk).dispatched_at is not None
    later = timezone.now() + timedelta(minutes=1)
    assert notifications_redispatch(now=later) >= 2
    assert not owed.filter(dispatched_at__isnull=True).exists()
    # Sent rows are not sent again by the next beat.
    assert notifications_redispatch(now=later) == 0


@pytest.mark.celery
@pytest.mark.redis
def test_with_redis_stopped_a_move_and_a_comment_answer_and_each_mail_goes_once(
    celery_worker_process, client
):
    from tests.conftest import wait_until
    from tests.services import SERVICES

    in_review = AgreementFactory(in_review=True)
    negotiator = UserFactory(negotiator=True, area=in_review.area)
    in_review_coordinator = in_review.opened_by
    client.force_login(negotiator)
    base = f"/agreements/2008-11/{in_review.area.slug}/negotiation/"
    before = timezone.now()
    redis = SERVICES["redis"]
    redis.stop()
    try:
        moved = client.post(
            f"{base}move/",
            {
                "action": Action.RETURN,
                "expected_stage": Stage.IN_REVIEW,
                "comment": "Please add the census evidence",
            },
        )
        commented = client.post(
            f"{base}comments/",
            {
                "anchor": "section:agreement",
                "kind": "comment",
                "visibility": "locality",
                "body": f"@{in_review_coordinator.email} the housing figures, please.",
            },
        )
    finally:
        redis.start()
    assert moved.status_code == 302 and commented.status_code == 302
    owed = Notification.objects.filter(
        user=in_review_coordinator, delivery="immediate", created_at__gte=before
    )
    assert owed.count() == 2 and not owed.filter(dispatched_at__isnull=False).exists()

    # Beat's redispatch, once Redis is back (the first try may find it still starting).
    later = timezone.now() + timedelta(minutes=1)
    wait_until(
        lambda: notifications_redispatch(now=later) or not owed.filter(dispatched_at=None),
        timeout=30,
        interval=0.5,
        message="the notifications were never sent to the broker",
    )
    wait_until(
        lambda: not owed.filter(sent_at__isnull=True).exists(),
        timeout=60,
        message=f"the worker did not send the e-mails:\n{celery_worker_process.log()}",
    )
    # A late redispatch (of every row unsent an hour on) sends these no more: once the
    # worker has sent whatever it did send, each e-mail went once.
    notifications_redispatch(now=later + timedelta(hours=1))
    wait_until(
        lambda: not Notification.objects.filter(delivery="immediate", sent_at=None).exists(),
        timeout=60,
        message=f"the worker did not send the rest:\n{celery_worker_process.log()}",
    )
    mail = celery_worker_process.sent_mail()
    assert len([m for m in mail if "census evidence" in m]) == 1
    assert len([m for m in mail if "mentioned you" in m]) == 1
