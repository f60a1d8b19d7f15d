"""A person sees and ends their sessions; a password change or reset ends the others; a
session of a person whose access was removed ends at its next request."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from accounts.models import SecurityEvent, SignedInSession, User
from accounts.sessions.useragent import describe_user_agent

PASSWORD = "demo-password"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def signed_in(email, user_agent=FIREFOX, address="192.0.2.10", password=PASSWORD) -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = browser.post("/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return browser


def is_signed_in(browser) -> bool:
    return browser.get("/").status_code == 200


@pytest.fixture
def two_browsers(coordinator):
    desk = signed_in(coordinator.email, FIREFOX, "192.0.2.10")
    phone = signed_in(coordinator.email, SAFARI_IPHONE, "198.51.100.7")
    return desk, phone


def test_the_sessions_page_lists_each_sign_in_and_marks_this_one(two_browsers, coordinator):
    desk, phone = two_browsers
    response = desk.get("/account/sessions/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.device, row.current, row.record.address) for row in rows] == [
        ("Firefox on Windows", True, "192.0.2.10"),
        ("Safari on iPhone", False, "198.51.100.7"),
    ]
    body = response.content.decode()
    assert "This session" in body and "End all other sessions" in body
    assert body.count("End this session") == 1


def test_ending_another_session_signs_that_browser_out(two_browsers, coordinator):
    desk, phone = two_browsers
    other = SignedInSession.objects.get(user=coordinator, address="198.51.100.7")
    response = desk.post(f"/account/sessions/{other.pk}/end/")
    assert response.status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(desk)
    assert not Session.objects.filter(session_key=other.session_key).exists()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_ENDED)
    assert event.subject == coordinator and event.actor == coordinator


def test_ending_all_other_sessions_keeps_only_this_one(coordinator):
    desk = signed_in(coordinator.email)
    others = [signed_in(coordinator.email, address=f"203.0.113.{n}") for n in (1, 2, 3)]
    assert desk.post("/account/sessions/end-others/").status_code == 302
    assert [is_signed_in(b) for b in others] == [False, False, False]
    assert is_signed_in(desk)
    assert SignedInSession.objects.filter(user=coordinator).count() == 1
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_ENDED)
    assert event.detail == "3 sessions ended: ended by their owner"


def test_another_persons_session_answers_404_and_stays(coordinator, partner):
    mine = signed_in(coordinator.email)
    theirs = signed_in(partner.email)
    record = SignedInSession.objects.get(user=partner)
    assert mine.post(f"/account/sessions/{record.pk}/end/").status_code == 404
    assert mine.post("/account/sessions/999999/end/").status_code == 404
    assert is_signed_in(theirs)


def test_ending_a_session_needs_a_post(two_browsers, coordinator):
    desk, _ = two_browsers
    record = SignedInSession.objects.filter(user=coordinator).last()
    assert desk.get(f"/account/sessions/{record.pk}/end/").status_code == 405


def test_the_sessions_page_needs_a_signed_in_person(client, db):
    response = client.get("/account/sessions/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_a_lapsed_session_is_not_listed(two_browsers, coordinator):
    desk, phone = two_browsers
    other = SignedInSession.objects.get(user=coordinator, address="198.51.100.7")
    from datetime import timedelta

    from django.utils import timezone

    Session.objects.filter(session_key=other.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    rows = desk.get("/account/sessions/").context["rows"]
    assert [row.current for row in rows] == [True]
    assert not SignedInSession.objects.filter(pk=other.pk).exists()


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(two_browsers, coordinator):
    desk, phone = two_browsers
    new = "a-new-long-passphrase-2026"
    response = desk.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response.url == "/account/sessions/"
    assert is_signed_in(desk)
    assert not is_signed_in(phone)
    assert [row.current for row in desk.get("/account/sessions/").context["rows"]] == [True]
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {SecurityEvent.Kind.PASSWORD_CHANGED, SecurityEvent.Kind.SESSION_ENDED} <= kinds
    coordinator.refresh_from_db()
    assert coordinator.check_password(new)


def test_a_wrong_current_password_or_a_weak_new_one_shows_the_error_summary(coordinator):
    desk = signed_in(coordinator.email)
    wrong = desk.post(
        "/account/password/",
        {
            "old_password": "nope",
            "new_password1": "x" * 20 + "9a",
            "new_password2": "x" * 20 + "9a",
        },
    )
    body = wrong.content.decode()
    assert wrong.status_code == 200
    assert 'class="govuk-error-summary"' in body and "Enter your current password" in body
    weak = desk.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert "too short" in weak.content.decode()
    assert "<title>Error: Change your password" in weak.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD)


def test_a_password_reset_ends_every_session(client, coordinator):
    desk = signed_in(coordinator.email)
    client.post("/password-reset/", {"email": coordinator.email})
    link = re.search(r"/password-reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    new = "another-long-passphrase-77"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert not is_signed_in(desk)
    assert not SignedInSession.objects.filter(user=coordinator).exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD_RESET, subject=coordinator
    ).exists()


def test_a_deactivated_persons_session_ends_at_the_next_request(coordinator):
    desk = signed_in(coordinator.email)
    key = desk.session.session_key
    User.objects.filter(pk=coordinator.pk).update(is_active=False)
    response = desk.get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not SignedInSession.objects.filter(session_key=key).exists()
    # Restoring their access does not bring the old session back.
    User.objects.filter(pk=coordinator.pk).update(is_active=True)
    desk.cookies["sessionid"] = key
    assert not is_signed_in(desk)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_ENDED)
    assert event.subject == coordinator


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        ("", "Unknown browser"),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_a_browser_is_described_in_a_few_words(user_agent, described):
    assert describe_user_agent(user_agent) == described
