"""A coordinator types a trajectory for NI 117 and sees where it sits among comparable areas;
the GO's review checklist then lists it under Ambition."""

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from indicators.models import Round
from tests.ambition.conftest import area_with_target
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.browser


def _drafting_agreement():
    """A new area's agreement in drafting, with its coordinator and its GO's negotiator."""
    agreement = AgreementFactory(drafting=True)
    coordinator = UserFactory(coordinator=True, area=agreement.area)
    negotiator = UserFactory(negotiator=True, area=agreement.area)
    return agreement, coordinator, negotiator


def _add_page(agreement) -> str:
    return f"/agreements/2008-11/{agreement.area.slug}/targets/add/designated/"


def _signed_peers() -> None:
    """Three more areas whose signed agreements bring NI 117 (lower is better) down."""
    round_ = Round.objects.get(slug="2008-11")
    for baseline, end in (("7.0", "6.0"), ("8.0", "7.0"), ("6.5", "6.0")):
        area_with_target(round_, "NI 117", baseline, end)


def _type_trajectory(page) -> None:
    field = page.locator("input#id_indicator")
    field.fill("NI 117")
    page.locator(".autocomplete__option", has_text="NI 117").first.click()
    page.get_by_label("Baseline value").fill("7.0")
    page.get_by_label("Baseline year").fill("2007/08")
    for year, value in (("2008/09", "7.0"), ("2009/10", "7.2"), ("2010/11", "7.5")):
        page.get_by_label(f"Target for {year}").fill(value)


def test_a_coordinator_sees_where_a_trajectory_sits_and_the_go_sees_it_under_ambition(
    browsing,
):
    _signed_peers()
    agreement, coordinator, negotiator = _drafting_agreement()
    page = browsing.page
    browsing.sign_in(coordinator.email)
    browsing.goto(_add_page(agreement))
    panel = page.get_by_test_id("ambition-panel")
    expect(panel).to_contain_text("Choose a national indicator")
    # Without a click: the figures follow the values as they are typed.
    expect(page.get_by_role("button", name="Show how this compares")).to_be_hidden()
    _type_trajectory(page)
    expect(page.get_by_test_id("ambition-proposal")).to_contain_text(
        "from 7.0 to 7.5, an improvement of -0.5"
    )
    sentence = page.get_by_test_id("ambition-national-sentence")
    expect(sentence).to_contain_text("A smaller improvement than")
    expect(sentence).to_contain_text("Bottom quarter.")
    expect(page.get_by_test_id("ambition-national")).to_be_visible()  # the strip
    browsing.assert_accessible()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("NI 117 has been added")

    # The GO reviews the draft.
    Agreement.objects.filter(pk=agreement.pk).update(stage="in_review")
    browsing.sign_out()
    browsing.sign_in(negotiator.email)
    browsing.goto(f"/agreements/2008-11/{agreement.area.slug}/negotiation/review/")
    listed = page.get_by_test_id("ambition-bottom-quartile")
    expect(listed).to_contain_text("NI 117")
    expect(listed).to_contain_text("A smaller improvement than")
    browsing.assert_accessible()


def test_without_javascript_a_button_shows_how_the_values_compare(
    browsing_without_javascript,
):
    _signed_peers()
    agreement, coordinator, _ = _drafting_agreement()
    browsing = browsing_without_javascript
    page = browsing.page
    browsing.sign_in(coordinator.email)
    browsing.goto(_add_page(agreement))
    option = page.locator("select#id_indicator option", has_text="NI 117").first
    page.locator("select#id_indicator").select_option(option.get_attribute("value"))
    page.get_by_label("Baseline value").fill("7.0")
    for year, value in (("2008/09", "6.9"), ("2009/10", "6.5"), ("2010/11", "5.0")):
        page.get_by_label(f"Target for {year}").fill(value)
    page.get_by_role("button", name="Show how this compares").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How the values you typed compare")
    expect(page.get_by_test_id("ambition-national-sentence")).to_contain_text(
        "A bigger improvement than"
    )
    expect(page.locator("main")).to_contain_text("Nothing has been saved")
    assert not agreement.targets.filter(indicator__code="NI 117").exists()
