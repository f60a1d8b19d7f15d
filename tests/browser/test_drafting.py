"""A coordinator drafts a whole agreement in the browser until the completeness check clears."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from agreements.models import Agreement
from tests.factories import AreaFactory, FundingStreamFactory, UserFactory

pytestmark = pytest.mark.browser


def choose_indicator(page, typed: str, option: str) -> None:
    """Uses the accessible autocomplete that enhances the indicator list."""
    field = page.locator("input#id_indicator")
    field.fill(typed)
    page.locator(".autocomplete__option", has_text=option).first.click()
    assert field.input_value().startswith(option)


def fill_target(page, *, baseline: str, values: tuple[str, str, str]) -> None:
    page.get_by_label("Baseline value").fill(baseline)
    page.get_by_label("Baseline year").fill("2007/08")
    for year, value in zip(("2008/09", "2009/10", "2010/11"), values, strict=True):
        page.get_by_label(f"Target for {year}").fill(value)


def test_coordinator_drafts_an_agreement_until_it_is_complete(browsing):
    area = AreaFactory()
    council = area.organisations.get(kind=Organisation.Kind.LOCALITY).name
    coordinator = UserFactory(coordinator=True, area=area)
    stream = FundingStreamFactory(
        area_based_grant=True, department=Organisation.objects.get(abbreviation="CLG")
    )
    page = browsing.page
    browsing.sign_in(coordinator.email)

    # Open the agreement.
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    browsing.assert_accessible()
    page.get_by_role(
        "button", name=f"Open the Local Area Agreements 2008-11 agreement for {area.name}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area.name)
    expect(page.get_by_test_id("stage")).to_have_text("Drafting")
    browsing.assert_accessible()

    # Story of place.
    page.get_by_role("link", name="Edit the story of place and governance").click()
    browsing.assert_accessible()
    page.get_by_label("Story of place").fill(
        f"{area.name} is a growing city.\n\n- More jobs in the city centre\n- Healthier lives"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main ul.govuk-list--bullet").first).to_contain_text(
        "More jobs in the city centre"
    )

    # A theme and an outcome.
    page.get_by_role("link", name="Themes and outcomes").first.click()
    page.get_by_label("Adult health and wellbeing").check()
    page.get_by_role("button", name="Add").click()
    page.get_by_label("Outcome", exact=True).fill("People live longer, healthier lives")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("People live longer, healthier lives")
    browsing.assert_accessible()

    # Three designated targets, the first found by searching words.
    for typed, option, values in [
        ("mortality", "NI 120 – All-age all cause mortality rate", ("700", "690", "680")),
        ("NI 39", "NI 39 –", ("2300", "2250", "2200")),
        ("NI 152", "NI 152 –", ("11.5", "11", "10.5")),
    ]:
        page.get_by_role("link", name="Targets", exact=True).click()
        page.get_by_role("link", name="Add a designated target").click()
        choose_indicator(page, typed, option)
        fill_target(page, baseline="750", values=values)
        page.get_by_label("Lead partner").select_option(label=council)
        if typed == "mortality":
            browsing.assert_accessible()
        page.get_by_role("button", name="Save target").click()
        code = option.split(" –")[0]
        expect(page.get_by_test_id("targets-designated")).to_contain_text(code)

    expect(page.get_by_test_id("designated-count")).to_contain_text("3 of up to 35")

    # A local target.
    page.get_by_role("link", name="Add a local target").click()
    page.get_by_role("radio", name="Our own indicator").check()
    page.get_by_role("textbox", name="Your own indicator").fill(
        "Households helped by the Warm Homes scheme"
    )
    fill_target(page, baseline="300", values=("350", "400", "450"))
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_test_id("targets-local")).to_contain_text(
        "Households helped by the Warm Homes scheme"
    )
    browsing.assert_accessible()

    # A funding stream, with the consent of the organisation whose money it is.
    page.get_by_role("link", name="Funding streams", exact=True).click()
    page.get_by_role("link", name="Add a funding stream").click()
    page.get_by_label("Funding stream").select_option(label=f"{stream.name} (CLG)")
    page.get_by_label("Whose money it is").select_option(label=council)
    page.get_by_label("Pooled").check()
    page.get_by_label("Amount for 2008/09 (£)").fill("1000000")
    page.get_by_label("Amount for 2009/10 (£)").fill("1050000")
    page.get_by_label("Amount for 2010/11 (£)").fill("1100000")
    browsing.assert_accessible()
    page.get_by_role("button", name="Save funding stream").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Consent of {council}")
    page.get_by_label("Who gave consent").fill("Jo Smith, Director of Resources")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2008")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_test_id("funding-table")).to_contain_text("Consented")

    # The completeness check is clear.
    page.get_by_role("link", name="Completeness check").click()
    expect(page.get_by_test_id("complete")).to_be_visible()
    browsing.assert_accessible()

    agreement = Agreement.objects.get(area=area)
    assert agreement.targets.filter(kind="designated").count() == 3
    assert agreement.targets.filter(kind="local").count() == 1
    assert agreement.funding.get().has_consent
