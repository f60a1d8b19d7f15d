"""Single sign-on in Chromium through a real OpenID Connect provider (oidc-provider-mock on a
local port), and a person's sessions page: each page visited passes axe-core and the
Content Security Policy."""

import re

import pytest
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    # The provider itself (not the portal) uses a deprecated part of its library.
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]

DOMAIN = "gonw.example.gov.uk"


@pytest.fixture
def identity_provider(settings, live_server):
    sam = ProviderUser(
        sub="sam", claims={"email": f"sam.negotiator@{DOMAIN}", "email_verified": True}
    )
    with run_server_in_thread(require_nonce=True, user_claims=[sam]) as server:
        issuer = f"http://localhost:{server.server_port}"
        settings.SSO_PROVIDERS = {
            "gonw": {
                "name": "gonw",
                "label": "GO North West",
                "issuer": issuer,
                "client_id": "laa-portal",
                "client_secret": "a-client-secret",
                "domains": [DOMAIN],
            }
        }
        settings.PORTAL_BASE_URL = live_server.url
        yield issuer


def test_a_negotiator_signs_in_through_their_provider_and_out_again(
    browsing, identity_provider, settings
):
    # Single sign-on stands for the second factor: the negotiator, whose role needs one,
    # is not sent to set one up.
    settings.TWO_FACTOR_REQUIRED_ROLES = ["negotiator"]
    UserFactory(negotiator=True, email=f"sam.negotiator@{DOMAIN}", full_name="Sam Negotiator")
    page = browsing.page
    browsing.goto("/sign-in/")
    expect(page.get_by_test_id("sso-hint")).to_be_visible()
    browsing.assert_accessible()
    page.get_by_label("Email address").fill(f"Sam.Negotiator@{DOMAIN}")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("^" + re.escape(identity_provider) + "/oauth2/authorize"))
    with page.expect_navigation(url=re.compile("^" + re.escape(browsing.base_url))):
        page.get_by_role("button", name="sam").click()
    expect(page).to_have_url(browsing.base_url + "/")
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("Sam Negotiator")
    browsing.goto("/account/sessions/")
    expect(page.get_by_test_id("sessions")).to_contain_text("Single sign-on")
    browsing.assert_accessible()
    browsing.sign_out()
    expect(page).to_have_url(re.compile("/sign-in/"))
    browsing.goto("/")
    expect(page).to_have_url(re.compile("/sign-in/"))


def test_an_unknown_person_is_refused_on_a_clear_page(browsing, identity_provider):
    page = browsing.page
    browsing.goto("/sign-in/")
    page.get_by_label("Email address").fill(f"sam.negotiator@{DOMAIN}")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    with page.expect_navigation(url=re.compile("^" + re.escape(browsing.base_url))):
        page.get_by_role("button", name="sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have not been signed in")
    expect(page.get_by_test_id("sso-refusal")).to_contain_text("must invite you first")
    browsing.assert_accessible()


def test_a_person_ends_their_other_session_and_changes_their_password(browser, browsing):
    coordinator = UserFactory(coordinator=True)
    other = browser.new_context()
    try:
        phone = other.new_page()
        phone.goto(browsing.base_url + "/sign-in/")
        phone.get_by_label("Email address").fill(coordinator.email)
        phone.get_by_label("Password").fill("demo-password")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Sign in").click()

        browsing.sign_in(coordinator.email)
        page = browsing.page
        page.get_by_role("link", name="Sessions and password").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your sessions")
        expect(page.get_by_test_id("sessions")).to_contain_text("This session")
        browsing.assert_accessible()
        page.get_by_role("button", name=re.compile("End this session")).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("signed out")
        expect(page.get_by_role("button", name="End all other sessions")).to_have_count(0)
        browsing.assert_accessible()
        phone.goto(browsing.base_url + "/")
        expect(phone).to_have_url(re.compile("/sign-in/"))

        page.get_by_role("link", name="change your password").click()
        page.get_by_label("Current password").fill("not-my-password")
        page.get_by_label("New password", exact=True).fill("short")
        page.get_by_label("Confirm new password").fill("short")
        page.get_by_role("button", name="Change password").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter your current password correctly"
        )
        browsing.assert_accessible()
    finally:
        other.close()
