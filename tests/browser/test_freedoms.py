"""A freedoms and flexibilities request in the browser, from draft to answer."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from freedoms.models import PolicyOwner
from tests.factories import (
    AgreementFactory,
    FreedomRequestFactory,
    NegotiatingBriefFactory,
    PolicyOwnerFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def move(page, button: str, reason: str = "", field: str = "") -> None:
    if reason:
        page.locator(f"#comment-{field}").fill(reason)
    page.get_by_role("button", name=button).last.click()


def test_a_request_from_draft_to_answer(browsing):
    agreement = AgreementFactory(in_review=True)
    area = agreement.area
    requests = f"/agreements/{agreement.round.slug}/{area.slug}/requests/"
    dcsf = Organisation.objects.get(abbreviation="DCSF")
    coordinator = agreement.opened_by
    negotiator = UserFactory(negotiator=True, area=area)
    official = UserFactory(official=True, organisation=dcsf)
    # The official is DCSF's LAA lead, who owns the requests referred to it.
    PolicyOwner.objects.filter(department=dcsf, is_laa_lead=True).update(is_laa_lead=False)
    lead = PolicyOwnerFactory(department=dcsf, user=official)
    NegotiatingBriefFactory(department=dcsf, author=official)
    # A similar request, answered in part for another area and relayed to it.
    elsewhere = FreedomRequestFactory(
        agreement=AgreementFactory(in_review=True),
        relayed=True,
        title="Pool Connexions funding into the children's trust budget",
        obstacle="Connexions grant conditions require a separate budget and audit trail.",
        ask="Pool the Connexions grant with other children's services funding.",
        department=dcsf,
        owner=lead,
        outcome="agreed_in_part",
        reason="Pooling is possible from April 2009, not 2008.",
        alternative="Align the budgets in 2008/09 and pool from 2009/10.",
    )
    page = browsing.page

    # The coordinator drafts a request and sees a similar one answered elsewhere.
    browsing.sign_in(coordinator.email)
    browsing.goto(requests)
    browsing.assert_accessible()
    page.get_by_role("link", name="Draft a request").click()
    page.get_by_label("Subject").fill("Pooling Connexions money with youth services")
    page.get_by_label("A funding condition").check()
    page.get_by_label("Describe the rule, condition or duty").fill(
        "Connexions grant conditions require a separate budget."
    )
    page.get_by_label("What you ask for instead").fill("One pooled youth budget.")
    page.get_by_label("DCSF – Department for Children, Schools and Families").check()
    browsing.assert_accessible()
    page.get_by_role("button", name="Save the request").click()
    similar = page.get_by_test_id("similar")
    expect(similar).to_contain_text(elsewhere.agreement.area.name)
    expect(similar).to_contain_text("Agreed in part")
    browsing.assert_accessible()
    move(page, "Send to the Government Office")
    expect(page.get_by_test_id("request-state")).to_have_text("With the Government Office")
    url = page.url
    browsing.sign_out()

    # The GO refers it to the department.
    browsing.sign_in(negotiator.email)
    page.goto(url)
    expect(page.get_by_test_id("brief")).to_be_visible()
    page.get_by_label("Department").select_option(
        label="DCSF – Department for Children, Schools and Families"
    )
    browsing.assert_accessible()
    move(page, "Refer to the department")
    expect(page.get_by_test_id("request-state")).to_have_text("With the department")
    browsing.sign_out()

    # The department's owner asks for more information.
    browsing.sign_in(official.email)
    page.goto(url)
    browsing.assert_accessible()
    move(page, "Ask for more information", "Which youth services would share the budget?", "ask")
    expect(page.get_by_test_id("request-state")).to_have_text("More information needed")
    browsing.sign_out()

    # The coordinator answers.
    browsing.sign_in(coordinator.email)
    page.goto(url)
    move(page, "Send the information", "The youth service and the YOT prevention team.", "provide")
    expect(page.get_by_test_id("request-state")).to_have_text("With the department")
    browsing.sign_out()

    # The owner offers an alternative, with a reason; refusing without one is not possible.
    browsing.sign_in(official.email)
    page.goto(url)
    page.get_by_label("Agreed in part or alternative offered").check()
    move(page, "Answer")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    page.get_by_label("Agreed in part or alternative offered").check()
    page.get_by_label("Alternative offered (for ‘agreed in part’)").fill(
        "Align the budgets in 2008/09 and pool them from 2009/10."
    )
    move(page, "Answer", "The grant's audit rules change in April 2009.", "answer")
    expect(page.get_by_test_id("request-state")).to_have_text("Answered, to be relayed")
    browsing.sign_out()

    # The GO relays it, and the coordinator sees the answer on the agreement.
    browsing.sign_in(negotiator.email)
    page.goto(url)
    move(page, "Relay the answer to the locality", "A good outcome: take it.", "relay")
    browsing.sign_out()
    browsing.sign_in(coordinator.email)
    browsing.goto(requests)
    expect(page.get_by_test_id("requests")).to_contain_text("Agreed in part or alternative offered")
    page.get_by_role("link", name="Pooling Connexions money with youth services").click()
    answer = page.get_by_test_id("answer")
    expect(answer).to_contain_text("Align the budgets in 2008/09")
    expect(answer).to_contain_text("audit rules change in April 2009")
    browsing.assert_accessible()
