"""Signing in the browser: the GO starts sign-off; partners sign, the council adopts, the GO
recommends and the admin records the Minister's signature; the agreement is signed."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from negotiations import services as negotiation
from negotiations.workflow import Action, Stage
from tests.browser.test_negotiation import NEGOTIATION, act, complete_cumbria

pytestmark = pytest.mark.browser

SIGN_OFF = "/agreements/2008-11/cumbria/sign-off/"


def agreed_cumbria():
    agreement = complete_cumbria()
    coordinator = User.objects.get(email="coordinator@example.org")
    negotiator = User.objects.get(email="negotiator@example.org")
    for action, actor, stage in (
        (Action.SUBMIT, coordinator, Stage.DRAFTING),
        (Action.START_REVIEW, negotiator, Stage.SUBMITTED),
        (Action.AGREE_IN_PRINCIPLE, negotiator, Stage.IN_REVIEW),
    ):
        negotiation.agreement_transition(
            agreement=agreement, actor=actor, action=action, expected_stage=stage, comment="OK"
        )
    return agreement


def fill_signatory(page, name: str, role: str) -> None:
    page.get_by_label("Signatory's full name").fill(name)
    page.get_by_label("Signatory's role").fill(role)


def sign_chain(browsing) -> None:
    page = browsing.page

    # The GO lead starts sign-off, which freezes and locks the content.
    browsing.sign_in("negotiator@example.org")
    browsing.goto(NEGOTIATION)
    act(browsing, "Start sign-off")
    expect(page.get_by_test_id("stage")).to_have_text("In sign-off")
    expect(page.get_by_test_id("whose-turn")).to_contain_text("Partners sign off")
    browsing.sign_out()

    # The PCT's representative signs for the PCT, with its commitments.
    browsing.sign_in("partner@example.org")
    browsing.goto(SIGN_OFF)
    expect(page.get_by_test_id("waiting-for")).to_contain_text("Cumbria Primary Care Trust")
    browsing.assert_accessible()
    page.get_by_role("button", name="Sign off for Cumbria Primary Care Trust (demo)").click()
    expect(page.get_by_test_id("statement")).to_contain_text("version")
    browsing.assert_accessible()
    # Submitting without the confirmation shows the error summary.
    fill_signatory(page, "Dr Jo Hughes", "Chief Executive")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm the statement")
    browsing.assert_accessible()
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator("main")).to_contain_text("Dr Jo Hughes, Chief Executive")
    browsing.sign_out()

    # The coordinator records the district councils' paper sign-offs and the adoption.
    browsing.sign_in("coordinator@example.org")
    for district in ("Carlisle City Council", "South Lakeland District Council"):
        browsing.goto(SIGN_OFF)
        page.get_by_role("button", name=f"Sign off for {district}").click()
        fill_signatory(page, "Chief Executive of " + district, "Chief Executive")
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Sign off").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(district)
    page.get_by_role("button", name="Record the council's adoption").click()
    fill_signatory(page, "Cllr Sam Ward", "Leader of the Council")
    page.get_by_label("Meeting that adopted it").fill("Full council, 26 June 2008")
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the adoption").click()
    expect(page.get_by_test_id("waiting-for")).to_contain_text("Government Office recommendation")
    browsing.sign_out()

    # The GO lead recommends, with the Regional Director's confirmation.
    browsing.sign_in("negotiator@example.org")
    browsing.goto(SIGN_OFF)
    page.get_by_role("button", name="Record the GO's recommendation").click()
    fill_signatory(page, "Nadia Negotiator", "GO lead negotiator")
    page.get_by_label("Regional Director's name").fill("Keith Regional")
    page.get_by_label("The Regional Director confirms").check()
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the recommendation").click()
    expect(page.get_by_test_id("waiting-for")).to_contain_text("Minister")
    browsing.sign_out()

    # The admin records the Minister's signature: the agreement is signed.
    browsing.sign_in("admin@example.org")
    browsing.goto(SIGN_OFF)
    page.get_by_role("button", name="Record the Minister's signature").click()
    browsing.assert_accessible()
    fill_signatory(page, "The Minister for Local Government", "Minister of State")
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the Minister's signature").click()
    expect(page.get_by_test_id("signed-panel")).to_contain_text("is the published agreement")
    expect(page.get_by_test_id("stage")).to_have_text("Signed")
    browsing.assert_accessible()
    browsing.sign_out()


def test_the_signing_journey(browsing):
    agreement = agreed_cumbria()
    sign_chain(browsing)
    agreement.refresh_from_db()
    assert agreement.stage == Stage.SIGNED
    assert agreement.signed_version.sign_offs.get().signatures.count() == 6
