"""The weekly summary through Celery beat's schedule and a real worker on Redis: each
subscriber gets one e-mail with the PDF attached, and a second run that week sends nothing."""

import email
import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from accounts.models import Organisation
from dashboards import services
from dashboards.models import Subscription, SummaryDelivery, WeeklySummary
from dashboards.selectors import Scope
from dashboards.tasks import send_weekly_summaries
from tests.conftest import wait_until
from tests.factories import UserFactory

pytestmark = pytest.mark.celery

MONDAY = "2026-11-23"


def test_beat_sends_the_weekly_summaries_on_monday_mornings():
    entry = settings.CELERY_BEAT_SCHEDULE["weekly-summaries"]
    assert entry["task"] == send_weekly_summaries.name
    schedule = entry["schedule"]
    assert schedule.day_of_week == {1} and schedule.minute == {15}
    assert min(schedule.hour) == 7 and len(schedule.hour) > 1  # retried through the day


def _messages(worker) -> list[email.message.Message]:
    """The summaries the worker sent (it also sends the demo's own notifications)."""
    messages = [email.message_from_string(raw.strip()) for raw in worker.sent_mail()]
    return [m for m in messages if "status summary, week of" in (m["Subject"] or "")]


def _runs_finished(worker) -> int:
    return len(re.findall(r"send_weekly_summaries\[[^\]]+\] succeeded", worker.log()))


def test_each_subscriber_gets_the_pdf_once_through_the_worker(celery_worker_process):
    # GO North West is reference data; the people are made here.
    north_west = Organisation.objects.get(slug="go-north-west")
    admin = UserFactory(admin=True)
    negotiator = UserFactory(negotiator=True, organisation=north_west)
    services.subscription_set(user=admin, scope=Scope(), subscribed=True)
    services.subscription_set(user=negotiator, scope=Scope(north_west), subscribed=True)
    # A subscription left over from someone who may not see the dashboard: skipped.
    coordinator = UserFactory(coordinator=True)
    Subscription.objects.create(user=coordinator, government_office=north_west)

    send_weekly_summaries.delay(MONDAY)
    send_weekly_summaries.delay(MONDAY)
    wait_until(
        lambda: celery_worker_process.log().count("send_weekly_summaries[") >= 4,
        timeout=120,
        message=celery_worker_process.log(),
    )  # received and succeeded, twice
    wait_until(
        lambda: (
            celery_worker_process.log().count("succeeded") >= 2
            and SummaryDelivery.objects.count() == 2
        ),
        timeout=120,
        message=celery_worker_process.log(),
    )

    messages = _messages(celery_worker_process)
    assert sorted(m["To"] for m in messages) == sorted([admin.email, negotiator.email])
    for message in messages:
        [attachment] = [part for part in message.walk() if part.get_filename()]
        assert attachment.get_content_type() == "application/pdf"
        pdf = PdfReader(io.BytesIO(attachment.get_payload(decode=True)))
        text = pdf.pages[0].extract_text()
        if message["To"] == admin.email:
            assert "National status summary" in text and "GO London" in text
        else:
            assert "GO North West status summary" in text and "GO London" not in text
    assert WeeklySummary.objects.count() == 2
    assert set(SummaryDelivery.objects.values_list("email", flat=True)) == {
        admin.email,
        negotiator.email,
    }

    # Running again in the same week sends nothing more.
    send_weekly_summaries.delay("2026-11-25")
    wait_until(
        lambda: _runs_finished(celery_worker_process) >= 3,
        timeout=60,
        message=celery_worker_process.log(),
    )
    assert len(_messages(celery_worker_process)) == 2
    assert SummaryDelivery.objects.count() == 2
