"""A department answers a referral of sixteen targets in one form, with and without
JavaScript: one submit, an error summary, "support all remaining" and a draft that
survives a reload."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from indicators.models import Indicator
from negotiations.models import Referral
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    ReferralFactory,
    TargetFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def referral_of_sixteen() -> Referral:
    """A GO North West area's agreement referred to DCSF, sixteen targets in its field."""
    dcsf = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT, abbreviation="DCSF")
    office = Organisation.objects.get(slug="go-north-west")
    agreement = AgreementFactory(
        area=AreaFactory(government_office=office, name="Fellshire", slug="fellshire"),
        referred=True,
    )
    for indicator in Indicator.objects.filter(lead_department=dcsf).order_by("number")[:16]:
        TargetFactory(agreement=agreement, kind="designated", indicator=indicator, local_title="")
    return ReferralFactory(agreement=agreement, department=dcsf)


def test_the_dcsf_official_answers_sixteen_targets_with_one_submit(browsing):
    referral = referral_of_sixteen()
    codes = list(
        referral.agreement.targets.order_by("indicator__number").values_list(
            "indicator__code", flat=True
        )
    )
    assert len(codes) == 16
    page = browsing.page
    browsing.sign_in(UserFactory(official=True, organisation=referral.department).email)
    # Home groups the department's referrals by Government Office.
    group = page.get_by_test_id("referral-group").filter(has_text="GO North West")
    expect(group).to_contain_text("Fellshire")
    group.get_by_role("link", name="Fellshire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("DCSF's views")
    browsing.assert_accessible()
    # A comment typed is kept on the server as it is made: a reload restores it.
    first = page.locator("#views").get_by_label(f"Comment on {codes[0]}")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 204):
        first.fill("The baseline is the 2007 cohort.")
        first.blur()
    page.reload()
    expect(page.get_by_test_id("draft")).to_be_visible()
    expect(page.get_by_label(f"Comment on {codes[0]}")).to_have_value(
        "The baseline is the 2007 cohort."
    )
    # Object to one, support the other fifteen, and send them all with one submit.
    page.get_by_label(f"Object {codes[0]}", exact=True).check()
    for code in codes[1:]:
        page.get_by_label(f"Support {code}", exact=True).check()
    page.get_by_label("Summary for the Government Office").fill("One objection, on the baseline.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send our views to the Government Office").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your views have been sent")
    referral.refresh_from_db()
    assert referral.is_answered and referral.summary == "One objection, on the baseline."
    opinions = dict(referral.views.values_list("target__indicator__code", "opinion"))
    assert opinions == {code: "object" if code == codes[0] else "support" for code in codes}


def test_without_javascript_the_errors_support_all_and_draft_work(browsing_without_javascript):
    referral = referral_of_sixteen()
    browsing = browsing_without_javascript
    page = browsing.page
    browsing.sign_in(UserFactory(official=True, organisation=referral.department).email)
    browsing.goto("/agreements/2008-11/fellshire/negotiation/referral/")
    # Sending nothing: an error summary, linked to the first target's choice.
    page.get_by_role("button", name="Send our views to the Government Office").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Choose a view on at least one target")
    expect(page).to_have_title("Error: DCSF's views – Fellshire – LAA Portal")
    # An objection without its reason is refused, and what was typed is kept.
    first = referral.agreement.targets.order_by("indicator__number").first()
    code = first.indicator.code
    page.get_by_label(f"Object {code}", exact=True).check()
    page.get_by_role("button", name="Send our views to the Government Office").click()
    expect(page.get_by_test_id("error-summary")).to_contain_text(f"Say why you object to {code}")
    page.get_by_test_id("error-summary").get_by_role("link").first.click()
    page.get_by_label(f"Comment on {code}").fill("No trajectory yet.")
    # Support all remaining fills the other fifteen, as a draft that a reload keeps.
    page.get_by_role("button", name="Support all remaining").click()
    expect(page.get_by_test_id("answered-count")).to_contain_text("16 of 16")
    browsing.goto("/agreements/2008-11/fellshire/negotiation/referral/")
    expect(page.get_by_label(f"Comment on {code}")).to_have_value("No trajectory yet.")
    expect(page.get_by_label(f"Object {code}", exact=True)).to_be_checked()
    assert not referral.views.exists()
    page.get_by_role("button", name="Send our views to the Government Office").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your views have been sent")
    referral.refresh_from_db()
    assert referral.is_answered and referral.views.count() == 16
