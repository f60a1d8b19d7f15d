"""A passkey registered and used in Chromium, through its virtual authenticator (the
DevTools protocol's WebAuthn domain), by a GO negotiator whose role must have a second
factor."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import SecurityEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_settings(settings, live_server):
    # Passkeys belong to a host name, never an address: the live server is reached at
    # http://localhost:<port>, and the portal is told that is its origin.
    assert live_server.url.startswith("http://localhost:")
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    settings.TWO_FACTOR_REQUIRED_ROLES = ["negotiator", "official", "admin"]
    return settings


def add_virtual_authenticator(page) -> tuple[object, str]:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    created = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, created["authenticatorId"]


def test_a_negotiator_registers_a_passkey_at_first_sign_in_and_signs_in_with_it(
    browsing, passkey_settings
):
    negotiator = UserFactory(negotiator=True)
    page = browsing.page
    session, authenticator = add_virtual_authenticator(page)

    browsing.sign_in(negotiator.email)
    # The role must have a second factor: every page leads to the set-up until it has one.
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2F$"))
    expect(page.locator("main")).to_contain_text("you must set up a second factor")
    browsing.assert_accessible()
    browsing.goto("/agreements/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))

    page.get_by_role("link", name="Add a passkey or security key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys and security keys")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)
    browsing.assert_accessible()
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1

    # Recovery codes, in case the passkey is lost.
    page.get_by_role("link", name="Make your recovery codes").click()
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    browsing.assert_accessible()

    browsing.goto("/agreements/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreements")
    browsing.sign_out()

    # Signing in again: the password, then the passkey.
    browsing.sign_in(negotiator.email)
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check it is you")
    browsing.assert_accessible()
    browsing.goto("/agreements/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/\?next="))
    with page.expect_navigation(url=re.compile(r"/agreements/$")):
        page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agreements")

    events = list(
        SecurityEvent.objects.filter(subject=negotiator).values_list("kind", "detail")[:6]
    )
    assert ("second_factor_verified", "passkey") in events
    assert ("second_factor_added", "passkey") in list(
        SecurityEvent.objects.filter(subject=negotiator).values_list("kind", "detail")
    )
    assert browsing.csp_violations == []


def test_a_passkey_from_another_authenticator_is_refused(browsing, passkey_settings):
    """A person whose passkey is on another device cannot pass with this one's."""
    official = UserFactory(official=True)
    page = browsing.page
    browsing.sign_in(official.email)
    session, authenticator = add_virtual_authenticator(page)
    browsing.goto("/account/two-factor/passkeys/")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_test_id("passkey")).to_have_count(1)
    browsing.goto("/")
    browsing.sign_out()

    # The passkey is lost: the authenticator that held it is gone.
    session.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
    add_virtual_authenticator(page)
    browsing.sign_in(official.email)
    page.get_by_role("button", name="Use a passkey").click()
    status = page.locator("#passkey-verification-status-message")
    expect(status).not_to_be_empty()
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/"))
    browsing.goto("/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/verify/"))


def test_the_set_up_verify_and_reset_pages_are_accessible(browsing, passkey_settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # The admin has no second factor here: only negotiators must have one.
    passkey_settings.TWO_FACTOR_REQUIRED_ROLES = ["negotiator"]
    page = browsing.page
    negotiator = UserFactory(negotiator=True)
    TOTPDevice.objects.create(user=negotiator, name="Authenticator app", confirmed=True)

    browsing.sign_in(UserFactory(coordinator=True).email)
    browsing.goto("/account/two-factor/authenticator-app/")
    expect(page.get_by_test_id("totp-secret")).to_have_text(re.compile(r"^[A-Z2-7 ]{39}$"))
    browsing.assert_accessible()
    page.get_by_label("Code from the app").fill("12")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 6-digit code")
    browsing.assert_accessible()
    browsing.goto("/")
    browsing.sign_out()

    browsing.sign_in(negotiator.email)
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    browsing.assert_accessible()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()

    browsing.sign_in(UserFactory(admin=True).email)
    browsing.goto(f"/account/two-factor/reset/{negotiator.pk}/?next=/areas/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("second factor")
    browsing.assert_accessible()
    page.get_by_role("button", name="Reset second factor").click()
    expect(page).to_have_url(re.compile(r"/areas/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been reset")
    assert not TOTPDevice.objects.filter(user=negotiator).exists()
