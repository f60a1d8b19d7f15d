"""Each person chooses how they hear: as it happens, a daily digest, or not at all."""

from django.core import mail

from notifications.models import Notification
from notifications.services import digests_send, notify


def test_choosing_email_frequency(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/settings/email/", {"notification_frequency": "daily"})
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.notification_frequency == "daily"
    response = client.post("/settings/email/", {})
    assert "Choose how often to be emailed" in response.content.decode()


def test_none_means_nothing_is_recorded_or_sent(coordinator):
    coordinator.notification_frequency = "none"
    coordinator.save()
    assert notify(users=[coordinator], subject="x", body="y") == []


def test_daily_digest_gathers_everything_once(
    coordinator, negotiator, django_capture_on_commit_callbacks
):
    coordinator.notification_frequency = "daily"
    coordinator.save()
    Notification.objects.filter(user=coordinator).update(sent_at="2008-01-01T00:00Z")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[coordinator], subject="First update", body="a", url="/a/")
        notify(users=[coordinator], subject="Second update", body="b", url="/b/")
    assert callbacks == []  # nothing immediate
    assert digests_send() == 1
    (message,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "First update" in message.body and "Second update" in message.body
    assert message.subject == "LAA Portal: 2 updates"
    assert digests_send() == 0


def test_immediate_notifications_are_sent_once(coordinator, django_capture_on_commit_callbacks):
    from notifications.services import notification_send

    (notification,) = notify(users=[coordinator], subject="Now", body="b")
    assert notification_send(notification_id=notification.pk)
    assert not notification_send(notification_id=notification.pk)
    assert len([m for m in mail.outbox if m.subject == "Now"]) == 1
