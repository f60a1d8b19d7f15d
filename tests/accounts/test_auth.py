"""Signing in and out, password reset, lock-out, security headers and the login log."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core import mail

from accounts.models import SecurityEvent

PASSWORD = "demo-password"


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/sign-in/", {"username": email, "password": password}, **extra)


def test_sign_in_by_email_address_ignores_case(client, coordinator):
    response = sign_in(client, "Coordinator@Example.org")
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == coordinator


def test_wrong_password_shows_a_gov_uk_error_summary(client, coordinator):
    response = sign_in(client, coordinator.email, "not-the-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body
    assert "Enter a correct email address and password" in body
    assert response.context["user"].is_anonymous


def test_empty_form_shows_errors_for_each_field(client, db):
    body = client.post("/sign-in/", {}).content.decode()
    assert body.count("This field is required") >= 2
    assert "<title>Error: Sign in" in body


def test_sign_out_needs_a_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_lock_out_after_the_configured_number_of_failures(client, coordinator, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, coordinator.email, "wrong").status_code == 200
    locked = sign_in(client, coordinator.email, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert AccessAttempt.objects.get(username=coordinator.email).failures_since_start == limit
    # Even the right password is refused while locked out.
    assert sign_in(client, coordinator.email).status_code == 429
    # Another user from the same address is not locked out.
    assert sign_in(client, "negotiator@example.org").status_code == 302


def test_the_lock_out_holds_across_spellings_of_the_address(client, partner, settings):
    spellings = ["partner@example.org", "PARTNER@EXAMPLE.ORG", "Partner@Example.Org"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, spellings[attempt % len(spellings)], "wrong")
    for spelling in spellings:
        assert sign_in(client, spelling).status_code == 429, spelling
    assert AccessAttempt.objects.get().username == "partner@example.org"


def failures_from(client, email, forwarded_for, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, email, "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_the_proxy_the_lock_out_is_keyed_on_the_client_not_the_proxy(
    client, partner, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    failures_from(client, partner.email, "203.0.113.5", settings)
    # The attacker's address is locked out...
    assert (
        sign_in(client, partner.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    ).status_code == 429
    # ...but the partner, coming through the same proxy from elsewhere, signs in.
    assert (
        sign_in(client, partner.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    ).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_an_address_the_client_wrote_itself_is_not_believed(client, partner, settings):
    """The proxy appends the address it saw; whatever the client put before it is ignored,
    so an attacker cannot spread guesses over invented addresses."""
    settings.TRUSTED_PROXY_COUNT = 1
    for invented in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        sign_in(
            client,
            partner.email,
            "wrong",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{invented}, 203.0.113.5",
        )
    locked = sign_in(
        client, partner.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5"
    )
    assert locked.status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, partner, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    failures_from(client, partner.email, "203.0.113.5", settings)
    assert (
        sign_in(client, partner.email, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    ).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


def test_signed_in_pages_are_never_stored_by_browsers_or_proxies(client, coordinator):
    client.force_login(coordinator)
    for path in ["/", "/agreements/2008-11/cumbria/", "/agreements/2008-11/cumbria/targets/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_logins_and_failed_logins_are_logged(client, coordinator, caplog):
    caplog.set_level("INFO", logger="laa_portal.security")
    sign_in(client, coordinator.email, "wrong")
    sign_in(client, coordinator.email)
    assert AccessFailureLog.objects.filter(username=coordinator.email).count() == 1
    assert AccessLog.objects.filter(username=coordinator.email).count() == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        m.startswith("login_failed ") and m.endswith("user name 'coordinator@example.org'")
        for m in messages
    )
    assert any(m.startswith(f"login subject_id={coordinator.pk} ") for m in messages)
    assert not any(PASSWORD in m for m in messages)
    events = SecurityEvent.objects.order_by("pk")
    assert [(e.kind, e.subject_id) for e in events] == [
        ("login_failed", None),
        ("login", coordinator.pk),
    ]
    assert events[0].address == "127.0.0.1"
    assert not any(PASSWORD in e.detail for e in events)


def test_password_reset_by_email(client, coordinator):
    response = client.post("/password-reset/", {"email": coordinator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a-fresh-long-passphrase-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert sign_in(client, coordinator.email, new_password).status_code == 302


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_validators_reject_a_weak_password(client, coordinator):
    client.post("/password-reset/", {"email": coordinator.email})
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()


@pytest.mark.parametrize("path", ["/sign-in/", "/"])
def test_content_security_policy_forbids_inline_script_and_style(client, coordinator, path):
    client.force_login(coordinator)
    policy = client.get(path).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_have_no_inline_script_or_style(client, coordinator):
    client.force_login(coordinator)
    for path in ["/sign-in/", "/", "/indicators/?q=mortality", "/indicators/ni-120/"]:
        body = client.get(path).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == [], path
        assert "<style" not in body and " style=" not in body, path


def test_session_expires_after_inactivity_and_cookie_is_http_only(client, coordinator, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    sign_in(client, coordinator.email)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"]
    session = Session.objects.get()
    # Each request pushes the expiry an idle period into the future.
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=5))
    assert client.get("/").status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # Once the idle period has passed, the user must sign in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")
