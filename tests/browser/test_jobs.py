"""The PDF journey in headless Chromium with axe-core: the button, the job page with its
progress (polled by htmx with JavaScript, a "Check again" link without), the download;
and the exports page."""

import pytest
from playwright.sync_api import expect

from jobs import services
from jobs.models import Job
from tests.factories import AgreementFactory, UserFactory

pytestmark = pytest.mark.browser


def _coordinator_of_a_draft():
    """A new area's agreement in drafting, with some content, and its coordinator."""
    agreement = AgreementFactory(drafting=True, complete=True)
    return agreement, UserFactory(coordinator=True, area=agreement.area)


def test_the_pdf_job_page_updates_itself_until_the_download_is_ready(browsing):
    agreement, coordinator = _coordinator_of_a_draft()
    page = browsing.page
    browsing.sign_in(coordinator.email)
    browsing.goto(f"/agreements/2008-11/{agreement.area.slug}/")
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_test_id("job-state")).to_contain_text("Waiting to start")
    browsing.assert_accessible()
    expect(page.get_by_test_id("check-again")).to_be_hidden()  # htmx polls instead
    job = Job.objects.get()
    services.job_run(job_id=job.pk)  # the worker's part
    download = page.get_by_test_id("download")
    expect(download).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("job-state")).to_have_text("Ready to download.")
    browsing.assert_accessible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == f"{agreement.area.slug}-2008-11-working-draft.pdf"


def test_without_javascript_the_job_page_offers_check_again(browsing_without_javascript):
    agreement, coordinator = _coordinator_of_a_draft()
    browsing = browsing_without_javascript
    page = browsing.page
    browsing.sign_in(coordinator.email)
    browsing.goto(f"/agreements/2008-11/{agreement.area.slug}/")
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_test_id("check-again")).to_be_visible()
    services.job_run(job_id=Job.objects.get().pk)
    page.get_by_test_id("check-again").click()
    expect(page.get_by_test_id("download")).to_be_visible()


def test_the_exports_page_and_an_export_in_progress_are_accessible(browsing):
    page = browsing.page
    browsing.sign_in(UserFactory(admin=True).email)
    page.get_by_role("link", name="Exports").click()
    expect(page.get_by_role("heading", name="Exports")).to_be_visible()
    browsing.assert_accessible()
    page.get_by_role("button", name="Produce register of targets (csv)").click()
    expect(page.get_by_test_id("job-state")).to_contain_text("Waiting to start")
    browsing.assert_accessible()
    services.job_run(job_id=Job.objects.get().pk)
    expect(page.get_by_test_id("download")).to_be_visible(timeout=15_000)
    browsing.goto("/jobs/exports/2008-11/")
    expect(page.get_by_test_id("export-targets_csv")).to_contain_text("targets-2008-11.csv")
    browsing.assert_accessible()
