"""The invitation journey in Chromium: the national team invites a GO lead negotiator, who
chooses a password, signs in and invites a coordinator for one of the GO's areas, who
chooses a password, signs in and sees the area's agreement. Every page passes axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.browser

NEGOTIATOR_PASSWORD = "north west negotiating 2008"
COORDINATOR_PASSWORD = "cumbria coordinating 2008"


def an_area_with_its_agreement():
    """A new area's agreement in drafting: its GO and lead council have no one yet."""
    agreement = AgreementFactory(drafting=True)
    area = agreement.area
    return area, area.government_office, area.organisations.get(kind=Organisation.Kind.LOCALITY)


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
    area, office, council = an_area_with_its_agreement()
    page = browsing.page
    browsing.sign_in(UserFactory(admin=True).email)
    invite(browsing, office.name, office.name, "Nora Negotiator", "nora@example.gov.uk")
    browsing.sign_out()

    accept(browsing, "nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    browsing.sign_out()
    browsing.sign_in("nora@example.gov.uk", NEGOTIATOR_PASSWORD)
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("GO lead negotiator")
    invite(browsing, area.name, council.name, "Colm Coordinator", "colm@example.gov.uk")
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
    expect(page.get_by_test_id("areas")).to_contain_text(area.name)
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    page.locator("main").get_by_role("link", name=re.compile(area.name)).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.name)
    browsing.assert_accessible()


def test_every_people_page_is_accessible(browsing, tmp_path):
    area, office, _ = an_area_with_its_agreement()
    page = browsing.page
    negotiator = UserFactory(negotiator=True, area=area)
    browsing.sign_in(UserFactory(admin=True).email)
    for path in [
        "/people/",
        f"/people/?q={office.name.split()[-1]}",
        f"/people/{office.slug}/",
        f"/people/{office.slug}/invite/",
        f"/people/person/{negotiator.pk}/",
        f"/people/person/{negotiator.pk}/change/",
        f"/people/person/{negotiator.pk}/remove-access/",
        "/people/import/",
    ]:
        response = browsing.goto(path)
        assert response.status == 200, path
        browsing.assert_accessible()

    # Errors: the invitation form, and a file with problems listed by row and column.
    browsing.goto(f"/people/{office.slug}/invite/")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's full name")
    browsing.assert_accessible()
    bad = tmp_path / "people.csv"
    bad.write_text("name,email,organisation,role\nNobody,not-an-address,nowhere,chief\n")
    browsing.goto("/people/import/")
    page.get_by_label("People file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check and invite").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("is not an e-mail address")
    browsing.assert_accessible()

    # Removing access asks first, then the page says so.
    browsing.goto(f"/people/person/{negotiator.pk}/remove-access/")
    page.get_by_role("button", name="Remove access").click()
    expect(page.get_by_test_id("access")).to_contain_text("Removed")
    browsing.assert_accessible()

    browsing.sign_out()
    browsing.goto("/invitations/no-such-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This invitation link is not valid")
    browsing.assert_accessible()
