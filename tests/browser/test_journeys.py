"""Each role signs in and lands on its own home page; the indicator library works with and
without JavaScript; every page visited passes axe-core's WCAG 2.x A and AA rules."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOMES = [
    ("coordinator@example.org", "Your Local Area Agreement", "Cumbria"),
    ("partner@example.org", "Your partnerships", "Cumbria"),
    ("negotiator@example.org", "Agreements in your region", "Cumbria"),
    ("official@example.org", "Your department's work", "across all 150 areas"),
    ("admin@example.org", "National overview", "All 150 areas"),
    ("coordinator2@example.org", "Your Local Area Agreement", "Leeds"),
]


def test_sign_in_page_is_accessible(browsing):
    browsing.goto("/sign-in/")
    browsing.assert_accessible()


def test_failed_sign_in_shows_an_accessible_error_summary(browsing):
    browsing.sign_in("coordinator@example.org", password="wrong-password")
    summary = browsing.page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    # GOV.UK Frontend's script moves focus to the summary.
    assert browsing.page.evaluate(
        "document.activeElement.classList.contains('govuk-error-summary')"
    )
    browsing.assert_accessible()


@pytest.mark.parametrize(("email", "heading", "areas_text"), HOMES)
def test_each_role_signs_in_to_its_own_home_page(browsing, email, heading, areas_text):
    browsing.sign_in(email)
    page = browsing.page
    expect(page).to_have_url(browsing.base_url + "/")
    expect(page.get_by_test_id("home-heading")).to_have_text(heading)
    expect(page.get_by_test_id("areas")).to_contain_text(areas_text)
    browsing.assert_accessible()
    browsing.sign_out()
    expect(page).to_have_url(re.compile("/sign-in/"))


def test_admin_pages_are_accessible(browsing):
    browsing.sign_in("admin@example.org")
    browsing.page.get_by_role("link", name="Rounds", exact=True).first.click()
    expect(browsing.page.get_by_role("heading", level=1)).to_have_text("Rounds")
    browsing.assert_accessible()
    browsing.page.get_by_role("link", name="Local Area Agreements 2008-11").click()
    expect(browsing.page.locator("main")).to_contain_text("Signature")
    browsing.assert_accessible()
    browsing.goto("/areas/")
    browsing.assert_accessible()


def test_coordinator_cannot_reach_admin_pages(browsing):
    browsing.sign_in("coordinator@example.org")
    response = browsing.goto("/rounds/")
    assert response.status == 404
    expect(browsing.page.get_by_role("heading", level=1)).to_have_text("Page not found")
    nav = browsing.page.get_by_role("navigation", name="Menu").inner_text()
    assert "Rounds" not in nav


def test_indicator_search_updates_results_as_you_type(browsing):
    browsing.sign_in("negotiator@example.org")
    page = browsing.page
    page.get_by_role("link", name="Indicators", exact=True).first.click()
    expect(page.get_by_test_id("result-count")).to_contain_text("198 indicators")
    browsing.assert_accessible()
    page.get_by_label("Code or words").fill("mortality")
    # htmx swaps the results in place and keeps the search in the address bar.
    page.wait_for_url(re.compile(r"q=mortality"))
    table = page.get_by_test_id("indicator-table")
    table.get_by_text("NI 120", exact=True).wait_for()
    assert "All-age all cause mortality rate" in table.inner_text()
    assert "NI 1\n" not in table.inner_text()
    browsing.assert_accessible()
    page.get_by_role("link", name="All-age all cause mortality rate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All-age all cause mortality rate")
    browsing.assert_accessible()


def test_indicator_search_and_filters_work_without_javascript(browsing_without_javascript):
    browsing = browsing_without_javascript
    browsing.sign_in("coordinator@example.org")
    page = browsing.page
    browsing.goto("/indicators/")
    page.get_by_label("Code or words").fill("NI 120")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    page.wait_for_url(re.compile(r"q=NI\+120"))
    expect(page.get_by_test_id("result-count")).to_contain_text("1 indicator found")
    page.get_by_label("Code or words").fill("")
    page.get_by_label("Lead department").select_option("DCSF")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("result-count")).to_contain_text("66 indicators found")
    # Page 2 keeps the filter.
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state()
    page.wait_for_url(re.compile(r"department=DCSF.*page=2"))
    expect(page.get_by_test_id("result-count")).to_contain_text("66 indicators found")


def test_accessibility_check_reports_a_real_violation(browsing):
    """The checker itself works: an image without alternative text is caught."""
    browsing.goto("/sign-in/")
    browsing.page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/build/assets/images/favicon.svg\">')"
    )
    assert "image-alt" in [violation["id"] for violation in browsing.axe_violations()]
