"""Reminders and escalations through Celery beat's schedule and a real worker on Redis,
with the date fixed: each is sent once, however often the job runs."""

import datetime as dt

import pytest
from django.conf import settings

from freedoms.lifecycle import State
from freedoms.models import PolicyOwner, RequestReminder
from freedoms.tasks import send_request_reminders
from notifications.models import Notification
from tests.conftest import wait_until
from tests.factories import AgreementFactory, FreedomRequestFactory

pytestmark = pytest.mark.celery


def test_beat_runs_request_reminders_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["request-reminders"]
    assert entry["task"] == send_request_reminders.name
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {45}


def test_reminder_then_escalation_each_sent_once_by_the_worker(celery_worker_process):
    due = dt.date(2008, 3, 14)
    request = FreedomRequestFactory(
        agreement=AgreementFactory(in_review=True), with_department=True, due_on=due
    )
    assert request.state == State.WITH_DEPARTMENT
    # The official owns the request and is the department's LAA lead.
    official = request.owner.user
    assert PolicyOwner.objects.get(department=request.department, is_laa_lead=True).user == official

    frozen_before = due - dt.timedelta(days=2)
    for _ in range(2):
        send_request_reminders.delay(frozen_before.isoformat())
    wait_until(
        lambda: RequestReminder.objects.filter(request=request, kind="due_soon").exists(),
        timeout=30,
        message=celery_worker_process.log(),
    )
    frozen_after = due + dt.timedelta(days=1)
    for _ in range(2):
        send_request_reminders.delay(frozen_after.isoformat())
    wait_until(
        lambda: RequestReminder.objects.filter(request=request, kind="escalated").exists(),
        timeout=30,
        message=celery_worker_process.log(),
    )
    wait_until(
        lambda: celery_worker_process.log().count("send_request_reminders[") >= 8,
        timeout=30,
        message="not every job ran",
    )
    assert RequestReminder.objects.filter(request=request).count() == 2
    subjects = list(Notification.objects.filter(user=official).values_list("subject", flat=True))
    assert sum(s.startswith(f"Due soon: {request.reference}") for s in subjects) == 1
    assert sum(s.startswith(f"Overdue: {request.reference}") for s in subjects) == 1
