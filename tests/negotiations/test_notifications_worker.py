"""E-mail after commit, through a real Celery worker on Redis: once, and never for a change
that rolled back."""

import pytest
from django.db import transaction
from django.utils import timezone

from agreements.stages import Action, Stage
from health.models import WorkerHeartbeat
from health.tasks import record_worker_heartbeat
from negotiations import services
from notifications.models import Notification
from notifications.tasks import send_notification
from tests.conftest import wait_until
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.celery


def test_a_transition_email_is_sent_once_after_commit_and_never_on_rollback(celery_worker_process):
    agreement = AgreementFactory(in_review=True)
    negotiator = UserFactory(negotiator=True, area=agreement.area)
    coordinator = agreement.opened_by

    with pytest.raises(RuntimeError), transaction.atomic():
        services.agreement_transition(
            agreement=agreement,
            actor=negotiator,
            action=Action.RETURN,
            expected_stage=Stage.IN_REVIEW,
            comment="Rolled back before it happened",
        )
        raise RuntimeError("something else failed in the same request")
    agreement.refresh_from_db()
    assert agreement.stage == Stage.IN_REVIEW
    assert not Notification.objects.filter(body__contains="Rolled back").exists()

    services.agreement_transition(
        agreement=agreement,
        actor=negotiator,
        action=Action.RETURN,
        expected_stage=Stage.IN_REVIEW,
        comment="Please add the census evidence",
    )
    notification = Notification.objects.get(user=coordinator, body__contains="census evidence")
    wait_until(
        lambda: Notification.objects.get(pk=notification.pk).sent_at is not None,
        timeout=30,
        message=f"the worker did not send the e-mail:\n{celery_worker_process.log()}",
    )
    # Delivering the same job again (as a broker may) sends nothing more.
    # A heartbeat job queued behind it tells us the worker (one job at a time, in order)
    # has run it.
    started = timezone.now()
    send_notification.delay(notification.pk)
    record_worker_heartbeat.delay()
    wait_until(
        lambda: WorkerHeartbeat.objects.filter(seen_at__gt=started).exists(),
        timeout=30,
        message="the repeated job did not run",
    )
    mails = [m for m in celery_worker_process.sent_mail() if "census evidence" in m]
    assert len(mails) == 1
    assert f"To: {coordinator.email}" in mails[0]
    assert not [m for m in celery_worker_process.sent_mail() if "Rolled back" in m]
