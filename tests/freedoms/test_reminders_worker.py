"""Reminders and escalations through Celery beat's schedule and a real worker on Redis,
with the date fixed: each is sent once, however often the job runs."""

import datetime as dt

import pytest
from django.conf import settings

from freedoms.lifecycle import State
from freedoms.models import RequestReminder
from freedoms.tasks import send_request_reminders
from notifications.models import Notification
from tests.conftest import wait_until
from tests.factories import AgreementFactory, FreedomRequestFactory, PolicyOwnerFactory

pytestmark = pytest.mark.celery


def test_beat_runs_request_reminders_every_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["request-reminders"]
    assert entry["task"] == send_request_reminders.name
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {45}


def test_reminder_then_escalation_each_sent_once_by_the_worker(celery_worker_process):
    due = dt.date(2008, 3, 14)
    request = FreedomRequestFactory(
        agreement=AgreementFactory(in_review=True),
        with_department=True,
        owner__is_laa_lead=False,
        due_on=due,
    )
    assert request.state == State.WITH_DEPARTMENT
    # The reminder goes to the official who owns the request, the escalation to the
    # department's LAA lead, another person.
    owner = request.owner.user
    lead = PolicyOwnerFactory(department=request.department).user
    assert lead != owner

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

    def subjects(user):
        return list(Notification.objects.filter(user=user).values_list("subject", flat=True))

    due_soon, overdue = f"Due soon: {request.reference}", f"Overdue: {request.reference}"
    assert [s.startswith(due_soon) for s in subjects(owner)] == [True]
    assert [s.startswith(overdue) for s in subjects(lead)] == [True]
