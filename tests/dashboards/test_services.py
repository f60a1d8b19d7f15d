"""Subscriptions and the weekly summary, sent in this process through Django's test
mailbox (the Celery worker test sends them through a real worker)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from accounts.models import Organisation
from dashboards import services
from dashboards.models import Subscription, SummaryDelivery, WeeklySummary
from dashboards.selectors import Scope

MONDAY = dt.date(2026, 11, 23)


def test_week_starts_on_monday():
    assert services.week_starting(MONDAY) == MONDAY
    assert services.week_starting(MONDAY + dt.timedelta(days=6)) == MONDAY


def test_only_those_who_may_see_a_dashboard_subscribe(negotiator, coordinator, london):
    with pytest.raises(PermissionDenied):
        services.subscription_set(user=negotiator, scope=Scope(london), subscribed=True)
    with pytest.raises(PermissionDenied):
        services.subscription_set(user=coordinator, scope=Scope(), subscribed=True)
    assert not Subscription.objects.exists()


def test_each_subscriber_gets_the_week_s_summary_once(admin_user, negotiator, north_west):
    services.subscription_set(user=admin_user, scope=Scope(), subscribed=True)
    services.subscription_set(user=admin_user, scope=Scope(north_west), subscribed=True)
    services.subscription_set(user=negotiator, scope=Scope(north_west), subscribed=True)

    assert services.weekly_summaries_send(today=MONDAY) == 3
    assert services.weekly_summaries_send(today=MONDAY + dt.timedelta(days=2)) == 0
    assert len(mail.outbox) == 3
    by_subject = {(m.to[0], m.subject) for m in mail.outbox}
    assert by_subject == {
        ("admin@example.org", "LAA Portal: National status summary, week of 23 November 2026"),
        ("admin@example.org", "LAA Portal: GO North West status summary, week of 23 November 2026"),
        (
            "negotiator@example.org",
            "LAA Portal: GO North West status summary, week of 23 November 2026",
        ),
    }
    # One file per scope and week, attached to every copy.
    assert WeeklySummary.objects.filter(week_starting=MONDAY).count() == 2
    assert SummaryDelivery.objects.count() == 3
    message = next(m for m in mail.outbox if m.to == ["negotiator@example.org"])
    [(name, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "GO North West status summary" in text
    assert "/dashboards/go-north-west/" in message.body

    # The next week, a new summary goes.
    assert services.weekly_summaries_send(today=MONDAY + dt.timedelta(days=7)) == 3


def test_someone_who_may_no_longer_see_the_dashboard_gets_nothing(negotiator, north_west):
    services.subscription_set(user=negotiator, scope=Scope(north_west), subscribed=True)
    negotiator.organisation = Organisation.objects.get(slug="go-london")
    negotiator.save()
    assert services.weekly_summaries_send(today=MONDAY) == 0
    assert mail.outbox == []
    assert not WeeklySummary.objects.exists()  # nothing rendered for nobody


def test_a_failed_send_is_tried_again_next_run(admin_user, settings):
    services.subscription_set(user=admin_user, scope=Scope(), subscribed=True)
    settings.EMAIL_BACKEND = "tests.dashboards.test_services.FailingBackend"
    assert services.weekly_summaries_send(today=MONDAY) == 0  # logged, not raised
    assert not SummaryDelivery.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.weekly_summaries_send(today=MONDAY) == 1
    assert WeeklySummary.objects.count() == 1  # the file made the first time is reused


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")
