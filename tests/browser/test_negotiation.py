"""The round trip in the browser: submit, challenge, answer and resubmit, compare, refer,
department views, agreement in principle."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation, User
from agreements.models import Agreement
from indicators.models import Indicator
from negotiations.models import TargetView
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    TargetFactory,
    UserFactory,
    statutory_targets,
)

pytestmark = pytest.mark.browser


@dataclass
class Draft:
    """A complete draft ready to submit, of a new area of GO North West: its outcome and
    local targets, a designated target on NI 120 (675 by 2010/11) and the statutory
    education targets (DCSF's field); with the area's coordinator and GO negotiator, and an
    official of DCSF."""

    agreement: Agreement
    people: dict[str, User]

    @classmethod
    def build(cls) -> Draft:
        area = AreaFactory(government_office=Organisation.objects.get(slug="go-north-west"))
        agreement = AgreementFactory(area=area, complete=True)
        TargetFactory(
            agreement=agreement,
            designated=True,
            indicator=Indicator.objects.get(code="NI 120"),
            baseline_value=712,
            baseline_year="2007/08",
            yearly_values=["700", "688", "675"],
        )
        statutory_targets(agreement)
        dcsf = Organisation.objects.get(abbreviation="DCSF")
        people = {
            "coordinator": agreement.opened_by,
            "negotiator": UserFactory(negotiator=True, area=area),
            "official": UserFactory(official=True, organisation=dcsf),
        }
        return cls(agreement, people)

    @property
    def detail(self) -> str:
        return f"/agreements/{self.agreement.round.slug}/{self.agreement.area.slug}/"

    @property
    def negotiation(self) -> str:
        return self.detail + "negotiation/"

    def email(self, role: str) -> str:
        return self.people[role].email


def act(browsing, button: str, comment: str = "") -> None:
    page = browsing.page
    if comment:
        page.get_by_label(f"Comment to go with ‘{button}’").fill(comment)
    page.get_by_role("button", name=button).click()


def test_the_negotiation_round_trip(browsing):
    draft = Draft.build()
    agreement, area = draft.agreement, draft.agreement.area
    negotiator = draft.people["negotiator"]
    page = browsing.page

    # The coordinator submits.
    browsing.sign_in(draft.email("coordinator"))
    browsing.goto(draft.negotiation)
    expect(page.get_by_test_id("whose-turn")).to_have_text(f"{area.name} (locality)")
    browsing.assert_accessible()
    act(browsing, "Submit to the Government Office")
    expect(page.get_by_test_id("check-answers")).to_contain_text("GO North West")
    browsing.assert_accessible()
    page.get_by_role("button", name="Submit to GO North West").click()
    expect(page.get_by_test_id("confirmation-panel")).to_contain_text(
        "You have submitted the draft to GO North West"
    )
    browsing.assert_accessible()
    expect(page.get_by_test_id("stage")).to_have_text("Submitted to GO")
    expect(page.get_by_test_id("whose-turn")).to_have_text("GO North West")
    browsing.sign_out()

    # The GO lead starts the review, challenges a target and returns the draft.
    browsing.sign_in(draft.email("negotiator"))
    browsing.goto(draft.negotiation)
    act(browsing, "Start the review")
    expect(page.get_by_test_id("stage")).to_have_text("In GO review")
    page.get_by_label("About").select_option(
        label="Target NI 120: All-age all cause mortality rate"
    )
    page.get_by_label("Challenge needing a justification").check()
    page.get_by_label("Shared with the locality").check()
    page.get_by_label("Comment", exact=True).last.fill(
        "Why only 675 by 2010/11? The regional trend is faster."
    )
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_test_id("comment").first).to_contain_text("Why only 675")
    browsing.assert_accessible()
    act(browsing, "Return for revision", comment="Please answer the challenge on NI 120.")
    expect(page.get_by_test_id("stage")).to_have_text("Returned for revision")
    browsing.sign_out()

    # The coordinator answers, changes the target and resubmits.
    browsing.sign_in(draft.email("coordinator"))
    browsing.goto(draft.negotiation)
    challenge = page.get_by_test_id("comment").filter(has_text="Why only 675")
    challenge.get_by_label("Reply").fill("Agreed: we will aim for 660.")
    challenge.get_by_role("button", name="Reply to this challenge needing a justification").click()
    challenge = page.get_by_test_id("comment").filter(has_text="Why only 675")
    expect(challenge).to_contain_text("we will aim for 660")
    # Only the GO, which raised the challenge, closes it: the locality proposes closing.
    expect(challenge.get_by_role("button", name="Mark answered")).to_have_count(0)
    challenge.get_by_role("button", name="Propose closing this").click()
    expect(page.get_by_test_id("comment").filter(has_text="Why only 675")).to_contain_text(
        "The locality proposes closing this"
    )
    target = agreement.targets.get(indicator__code="NI 120")
    browsing.goto(f"{draft.detail}targets/{target.pk}/edit/")
    page.get_by_label("Target for 2010/11").fill("660")
    page.get_by_label("Reason for the change").fill("Answering the GO's challenge")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator("main")).to_contain_text("660")
    browsing.goto(draft.negotiation)
    act(browsing, "Submit to the Government Office")
    page.get_by_role("button", name="Submit to GO North West").click()
    expect(page.get_by_test_id("stage")).to_have_text("Submitted to GO")
    browsing.sign_out()

    # The GO closes the challenge, compares version 1 and 2 and refers the agreement.
    browsing.sign_in(draft.email("negotiator"))
    browsing.goto(draft.negotiation)
    act(browsing, "Start the review")
    challenge = page.get_by_test_id("comment").filter(has_text="Why only 675")
    challenge.get_by_role("button", name="Mark answered").click()
    expect(page.get_by_test_id("comment").filter(has_text="Why only 675")).to_contain_text(
        f"Answered by {negotiator.full_name}"
    )
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_test_id("compare-heading")).to_have_text(
        "What changed from version 1 to version 2"
    )
    changed = page.get_by_test_id("targets-changed")
    expect(changed).to_contain_text("NI 120")
    expect(changed).to_contain_text("675")
    expect(changed).to_contain_text("660")
    expect(changed).to_contain_text("-15")
    browsing.assert_accessible()
    browsing.goto(draft.negotiation)
    act(browsing, "Refer to departments")
    expect(page.get_by_test_id("stage")).to_have_text("Referred to departments")
    expect(page.get_by_test_id("referrals")).to_contain_text("DCSF")
    browsing.sign_out()

    # The DCSF official supports one target and objects to another.
    browsing.sign_in(draft.email("official"))
    page.get_by_role(
        "link", name=f"Give your views on the targets in your field for {area.name}"
    ).click()
    browsing.assert_accessible()
    first = page.locator("#target-" + str(agreement.targets.get(indicator__code="NI 72").pk))
    first.get_by_label("Support NI 72", exact=True).check()
    second = page.locator("#target-" + str(agreement.targets.get(indicator__code="NI 73").pk))
    second.get_by_label("Object NI 73").check()
    second.get_by_label("Comment on NI 73").fill("No baseline or trajectory yet.")
    page.get_by_role("button", name="Send our views to the Government Office").click()
    expect(page.get_by_test_id("stage")).to_have_text("Referred to departments")
    browsing.sign_out()

    # The GO withdraws the referrals no longer needed, rates the checklist, agrees the
    # remaining items and agrees the agreement in principle.
    browsing.sign_in(draft.email("negotiator"))
    browsing.goto(draft.negotiation)
    expect(page.get_by_test_id("referrals")).to_contain_text("Answered")
    expect(page.get_by_test_id("blocked-agree_in_principle")).to_contain_text(
        "still proposed or challenged"
    )
    withdraw = page.get_by_role("link", name="Withdraw the referral to")
    while withdraw.count():
        withdraw.first.click()
        page.get_by_label("Why the referral is withdrawn").fill("DCSF's answer covers it.")
        page.get_by_role("button", name="Withdraw the referral").click()
        expect(page.get_by_test_id("stage")).to_be_visible()
    page.get_by_role("link", name="Fill in the review checklist").click()
    for label in ("Focus", "Ambition", "Rationale and evidence", "Difference made", "Inclusivity"):
        page.get_by_role("group", name=label, exact=True).get_by_label("Strong").check()
    page.get_by_role(
        "group", name="Clarity of governance, performance management and funding"
    ).get_by_label("Strong").check()
    page.get_by_role("button", name="Save the checklist").click()
    page.get_by_test_id("agree-remaining").click()
    expect(page.get_by_test_id("remaining-items")).to_contain_text("NI 120")
    browsing.assert_accessible()
    page.get_by_role("button", name="Agree these items").click()
    act(browsing, "Agree in principle", comment="Recommended to the Regional Director.")
    expect(page.get_by_test_id("stage")).to_have_text("Agreed in principle")
    browsing.assert_accessible()

    agreement.refresh_from_db()
    assert agreement.stage == "agreed_in_principle"
    assert agreement.versions.count() == 2
    views = {
        v.target.indicator.code: v.opinion
        for v in TargetView.objects.filter(
            referral__agreement=agreement,
            referral__department=Organisation.objects.get(abbreviation="DCSF"),
        )
    }
    assert views == {"NI 72": "support", "NI 73": "object"}
