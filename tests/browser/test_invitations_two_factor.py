"""The invitation journey in Chromium with second factors required, as in production: the
national team admin proves their authenticator app's code, invites a GO lead negotiator,
who chooses a password and cannot go further until they set up an authenticator app (the
code is computed from the key the page shows), then signs in with password and code and
invites a coordinator, who needs no second factor and sees the area's agreement."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import SecurityEvent, User
from tests.browser.test_invitations import an_area_with_its_agreement
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

NEGOTIATOR_PASSWORD = "north west negotiating 2008"
COORDINATOR_PASSWORD = "cumbria coordinating 2008"


def code(key: bytes, drift: int = 0) -> str:
    return f"{totp(key, drift=drift):06d}"


def enter_code(browsing, key: bytes, drift: int) -> None:
    page = browsing.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Check it is you")
    page.get_by_label("Code from your authenticator app").fill(code(key, drift))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def invitation_path(email: str) -> str:
    messages = [message for message in mail.outbox if message.to == [email]]
    assert messages, f"no invitation reached {email}"
    return re.search(r"https?://\S+(/invitations/\S+/)", messages[-1].body).group(1)


def invite(browsing, search: str, organisation: str, name: str, email: str) -> None:
    page = browsing.page
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Organisation name or code").fill(search)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=organisation).click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"An invitation has been sent to {email}"
    )


def accept(browsing, email: str, password: str) -> None:
    page = browsing.page
    browsing.goto(invitation_path(email))
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Set password and sign in").click()


def test_an_invited_negotiator_sets_up_a_code_before_inviting_a_coordinator(browsing, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["negotiator", "official", "admin"]
    area, office, council = an_area_with_its_agreement()
    page = browsing.page
    admin = UserFactory(admin=True)
    admin_app = TOTPDevice.objects.create(user=admin, name="Authenticator app")

    browsing.sign_in(admin.email)
    enter_code(browsing, admin_app.bin_key, drift=0)
    expect(page.get_by_test_id("home-heading")).to_have_text("National overview")
    invite(browsing, office.name, office.name, "Nora Negotiator", "nora@example.gov.uk")
    browsing.sign_out()

    # Nora chooses a password and is signed in, but may go nowhere but the set-up.
    accept(browsing, "nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2F$"))
    browsing.goto("/people/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2Fpeople%2F$"))
    page.get_by_role("link", name="Set up an authenticator app").click()
    secret = page.get_by_test_id("totp-secret").inner_text()
    key = b32decode(secret.replace(" ", ""))
    page.get_by_label("Code from the app").fill(code(key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    browsing.assert_accessible()
    page.get_by_role("link", name="I have saved my codes").click()
    expect(page).to_have_url(browsing.base_url + "/people/")
    browsing.goto("/")
    browsing.sign_out()

    # Signing in again takes the password and a new code from the app.
    browsing.sign_in("nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    enter_code(browsing, key, drift=1)
    expect(page).to_have_url(browsing.base_url + "/")
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("GO lead negotiator")
    invite(browsing, area.name, council.name, "Colm Coordinator", "colm@example.gov.uk")
    browsing.sign_out()

    # A coordinator needs no second factor.
    accept(browsing, "colm@example.gov.uk", COORDINATOR_PASSWORD)
    expect(page).to_have_url(browsing.base_url + "/")
    browsing.sign_out()
    browsing.sign_in("colm@example.gov.uk", COORDINATOR_PASSWORD)
    expect(page.get_by_test_id("areas")).to_contain_text(area.name)
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    page.locator("main").get_by_role("link", name=re.compile(area.name)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.name)

    nora = User.objects.get(email="nora@example.gov.uk")
    kinds = set(SecurityEvent.objects.filter(subject=nora).values_list("kind", flat=True))
    assert {"second_factor_added", "recovery_codes_made", "second_factor_verified"} <= kinds
