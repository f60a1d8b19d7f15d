"""The invitation journey in Chromium: the national team invites a GO lead negotiator, who
chooses a password, signs in and invites a coordinator for one of the GO's areas, who
chooses a password, signs in and sees the area's agreement. Every page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEGOTIATOR_PASSWORD = "north west negotiating 2008"
COORDINATOR_PASSWORD = "cumbria coordinating 2008"


def invitation_path(email: str) -> str:
    """The path of the link in the latest invitation sent to `email`."""
    messages = [message for message in mail.outbox if message.to == [email]]
    assert messages, f"no invitation reached {email}"
    link = re.search(r"https?://\S+(/invitations/\S+/)", messages[-1].body)
    assert link, messages[-1].body
    return link.group(1)


def invite(browsing, organisation_search: str, organisation_name: str, name: str, email: str):
    page = browsing.page
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    browsing.assert_accessible()
    page.get_by_label("Organisation name or code").fill(organisation_search)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=organisation_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(organisation_name)
    browsing.assert_accessible()
    page.get_by_role("link", name="Invite someone").click()
    browsing.assert_accessible()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"An invitation has been sent to {email}"
    )
    expect(page.get_by_test_id("people")).to_contain_text(name)
    browsing.assert_accessible()


def accept(browsing, email: str, password: str) -> None:
    page = browsing.page
    browsing.goto(invitation_path(email))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the LAA Portal")
    browsing.assert_accessible()
    # A password the validators refuse first: the error summary, nothing saved.
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Confirm password").fill("short")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    browsing.assert_accessible()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page).to_have_url(browsing.base_url + "/")
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(email.split("@")[0].title())


def test_an_invited_negotiator_invites_a_coordinator_who_sees_the_agreement(browsing):
    page = browsing.page
    browsing.sign_in("admin@example.org")
    invite(browsing, "North West", "GO North West", "Nora Negotiator", "nora@example.gov.uk")
    browsing.sign_out()

    accept(browsing, "nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    browsing.sign_out()
    browsing.sign_in("nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("GO lead negotiator")
    invite(browsing, "Cumbria", "Cumbria (lead council)", "Colm Coordinator", "colm@example.gov.uk")
    # A used link cannot be used again.
    browsing.sign_out()
    browsing.goto(invitation_path("nora@example.gov.uk"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This invitation has been used already"
    )
    browsing.assert_accessible()

    accept(browsing, "colm@example.gov.uk", COORDINATOR_PASSWORD)
    browsing.sign_out()
    browsing.sign_in("colm@example.gov.uk", COORDINATOR_PASSWORD)
    expect(page.get_by_test_id("areas")).to_contain_text("Cumbria")
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    page.locator("main").get_by_role("link", name=re.compile("Cumbria")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cumbria")
    browsing.assert_accessible()
