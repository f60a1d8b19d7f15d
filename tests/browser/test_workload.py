"""A GO negotiator narrows the region's areas to those overdue and with the GO, shares two
out to a colleague, and the colleague finds them in their work."""

import pytest
from playwright.sync_api import expect

from agreements.models import AreaAssignmentChange
from portal.work import work_for
from tests.factories import AgreementFactory, AreaFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_a_negotiator_filters_overdue_with_us_and_assigns_two_to_a_colleague(browsing):
    office = OrganisationFactory(government_office=True)
    # Three areas with drafts in GO review that missed the first draft's date.
    areas = [AreaFactory(government_office=office) for _ in range(3)]
    for area in areas:
        AgreementFactory(area=area, in_review=True)
    negotiator = UserFactory(negotiator=True, organisation=office)
    colleague = UserFactory(
        negotiator=True, organisation=office, email="sam@example.org", full_name="Sam Second"
    )
    page = browsing.page
    browsing.sign_in(negotiator.email)
    browsing.goto("/agreements/")
    page.get_by_label("With", exact=True).select_option(label="Us")
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_title("Agreements: overdue, with us – LAA Portal")
    assert "overdue=yes" in page.url and "party=go" in page.url
    assert "csrfmiddlewaretoken" not in page.url
    expect(page.get_by_test_id("agreement-count")).to_have_text("3 agreements overdue, with us.")
    expect(page.get_by_test_id("overdue")).to_have_count(3)
    browsing.assert_accessible()
    # The filtered list is a bookmark: opening the address again gives the same list.
    browsing.goto("/agreements/?party=go&overdue=yes")
    expect(page.get_by_test_id("agreement-row")).to_have_count(3)

    page.get_by_label(f"Choose {areas[0].name}").check()
    page.get_by_label(f"Choose {areas[1].name}").check()
    page.get_by_label("Assign the chosen areas to").select_option(label="Sam Second")
    page.get_by_role("button", name="Assign the chosen areas").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "2 areas assigned to Sam Second"
    )
    expect(page).to_have_title("Agreements: overdue, with us – LAA Portal")
    rows = page.get_by_test_id("agreement-row")
    expect(rows.filter(has_text=areas[0].name).get_by_test_id("assignee")).to_have_text(
        "Sam Second"
    )
    expect(rows.filter(has_text=areas[2].name).get_by_test_id("assignee")).to_have_text("–")
    assert AreaAssignmentChange.objects.filter(to_negotiator=colleague).count() == 2
    browsing.sign_out()

    browsing.sign_in("sam@example.org")
    work = page.get_by_test_id("your-work")
    expect(work).to_contain_text(areas[0].name)
    expect(work).to_contain_text(areas[1].name)
    browsing.assert_accessible()
    # They have left the assigning negotiator's work; the unassigned area stays with both.
    mine = {item.agreement for item in work_for(negotiator)}
    assert areas[2].name in mine and not {areas[0].name, areas[1].name} & mine
