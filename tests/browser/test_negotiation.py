"""The round trip in the browser: submit, challenge, answer and resubmit, compare, refer,
department views, agreement in principle."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation, User
from agreements import services as drafting
from agreements.models import Agreement
from negotiations.models import TargetView

pytestmark = pytest.mark.browser

NEGOTIATION = "/agreements/2008-11/cumbria/negotiation/"


def complete_cumbria() -> Agreement:
    """Finish the demo draft's gaps so that it can be submitted."""
    agreement = Agreement.objects.get(area__name="Cumbria")
    coordinator = User.objects.get(email="coordinator@example.org")
    locality = agreement.area.organisations.get(kind="locality")
    safer = agreement.themes.get(theme__name="Safer communities")
    drafting.outcome_create(
        agreement=agreement,
        actor=coordinator,
        agreement_theme=safer,
        title="Less crime in our towns",
    )
    for code, baseline, values in [
        ("NI 16", "18.5", ("18", "17.5", "17")),
        ("NI 152", "11.9", ("11.5", "11.2", "10.9")),
    ]:
        target = agreement.targets.get(indicator__code=code)
        drafting.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            reason="Completed",
            fields=drafting.TargetFields(
                indicator=target.indicator,
                baseline_value=Decimal(baseline),
                baseline_year="2007/08",
                yearly_values=tuple(Decimal(v) for v in values),
                lead_partner=locality,
            ),
        )
    entry = agreement.funding.get()
    drafting.funding_consent_record(
        entry=entry,
        actor=coordinator,
        expected_version=entry.version,
        given_by="PCT board",
        given_on=dt.date(2008, 3, 1),
    )
    return agreement


def act(browsing, button: str, comment: str = "") -> None:
    page = browsing.page
    if comment:
        page.get_by_label(f"Comment to go with ‘{button}’").fill(comment)
    page.get_by_role("button", name=button).click()


def test_the_negotiation_round_trip(browsing):
    agreement = complete_cumbria()
    page = browsing.page

    # The coordinator submits.
    browsing.sign_in("coordinator@example.org")
    browsing.goto(NEGOTIATION)
    expect(page.get_by_test_id("whose-turn")).to_have_text("Cumbria (locality)")
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
    browsing.sign_in("negotiator@example.org")
    browsing.goto(NEGOTIATION)
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
    browsing.sign_in("coordinator@example.org")
    browsing.goto(NEGOTIATION)
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
    browsing.goto(f"/agreements/2008-11/cumbria/targets/{target.pk}/edit/")
    page.get_by_label("Target for 2010/11").fill("660")
    page.get_by_label("Reason for the change").fill("Answering the GO's challenge")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator("main")).to_contain_text("660")
    browsing.goto(NEGOTIATION)
    act(browsing, "Submit to the Government Office")
    page.get_by_role("button", name="Submit to GO North West").click()
    expect(page.get_by_test_id("stage")).to_have_text("Submitted to GO")
    browsing.sign_out()

    # The GO closes the challenge, compares version 1 and 2 and refers the agreement.
    browsing.sign_in("negotiator@example.org")
    browsing.goto(NEGOTIATION)
    act(browsing, "Start the review")
    challenge = page.get_by_test_id("comment").filter(has_text="Why only 675")
    challenge.get_by_role("button", name="Mark answered").click()
    expect(page.get_by_test_id("comment").filter(has_text="Why only 675")).to_contain_text(
        "Answered by Nadia Negotiator"
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
    browsing.goto(NEGOTIATION)
    act(browsing, "Refer to departments")
    expect(page.get_by_test_id("stage")).to_have_text("Referred to departments")
    expect(page.get_by_test_id("referrals")).to_contain_text("DCSF")
    browsing.sign_out()

    # The DCSF official supports one target and objects to another.
    browsing.sign_in("official@example.org")
    page.get_by_role(
        "link", name="Give your views on the targets in your field for Cumbria"
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
    browsing.sign_in("negotiator@example.org")
    browsing.goto(NEGOTIATION)
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
