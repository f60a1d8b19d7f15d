"""Signing in the browser: the GO starts sign-off; partners sign, the council adopts, the GO
recommends and the admin records the Minister's signature; the agreement is signed."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Organisation, User
from agreements.models import Agreement
from agreements.stages import Stage
from tests.browser.test_negotiation import act
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

DISTRICTS = ("Carlisle City Council", "South Lakeland District Council")


@dataclass
class Signing:
    """An agreement agreed in principle and ready for sign-off, with the people who sign it
    (by role) and the primary care trust whose representative signs online; the coordinator
    records the paper sign-offs of the district councils."""

    agreement: Agreement
    pct: Organisation
    people: dict[str, User]

    @classmethod
    def build(cls, agreement: Agreement | None = None) -> Signing:
        """For the agreement given (its area two-tier), or a new one agreed in principle."""
        agreement = agreement or AgreementFactory(agreed_in_principle=True, complete=True)
        area = agreement.area
        pct = OrganisationFactory(name=f"{area.name} Primary Care Trust")
        PartnershipFactory(area=area, organisation=pct, partner_type="pct")
        for district in DISTRICTS:
            PartnershipFactory(
                area=area,
                organisation=OrganisationFactory(name=district),
                partner_type="district_council",
            )
        people = {
            "coordinator": agreement.opened_by,
            "negotiator": UserFactory(negotiator=True, area=area),
            "partner": UserFactory(partner=True, organisation=pct),
            "admin": UserFactory(admin=True),
        }
        return cls(agreement, pct, people)

    @property
    def detail(self) -> str:
        return f"/agreements/{self.agreement.round.slug}/{self.agreement.area.slug}/"

    @property
    def negotiation(self) -> str:
        return self.detail + "negotiation/"

    @property
    def sign_off(self) -> str:
        return self.detail + "sign-off/"

    def email(self, role: str) -> str:
        return self.people[role].email


def fill_signatory(page, name: str, role: str) -> None:
    page.get_by_label("Signatory's full name").fill(name)
    page.get_by_label("Signatory's role").fill(role)


def sign_chain(browsing, signing: Signing) -> None:
    page, pct = browsing.page, signing.pct.name

    # The GO lead starts sign-off, which freezes and locks the content.
    browsing.sign_in(signing.email("negotiator"))
    browsing.goto(signing.negotiation)
    act(browsing, "Start sign-off")
    expect(page.get_by_test_id("stage")).to_have_text("In sign-off")
    expect(page.get_by_test_id("whose-turn")).to_contain_text("Partners sign off")
    browsing.sign_out()

    # The PCT's representative signs for the PCT, with its commitments.
    browsing.sign_in(signing.email("partner"))
    browsing.goto(signing.sign_off)
    expect(page.get_by_test_id("waiting-for")).to_contain_text(pct)
    browsing.assert_accessible()
    page.get_by_role("button", name=f"Sign off for {pct}").click()
    expect(page.get_by_test_id("statement")).to_contain_text("version")
    browsing.assert_accessible()
    # Submitting without the confirmation shows the error summary.
    fill_signatory(page, "Dr Jo Hughes", "Chief Executive")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm the statement")
    browsing.assert_accessible()
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Sign off").click()
    # Checking the answers before signing, then the confirmation panel.
    expect(page.get_by_test_id("check-answers")).to_contain_text("Dr Jo Hughes")
    browsing.assert_accessible()
    page.get_by_role("button", name="Confirm and sign").click()
    expect(page.get_by_test_id("confirmation-panel")).to_contain_text("Signature recorded")
    expect(page.get_by_test_id("confirmation-details")).to_contain_text("Who we told")
    browsing.assert_accessible()
    expect(page.locator("main")).to_contain_text("Dr Jo Hughes, Chief Executive")
    browsing.sign_out()

    # The coordinator records the district councils' paper sign-offs and the adoption.
    browsing.sign_in(signing.email("coordinator"))
    for district in DISTRICTS:
        browsing.goto(signing.sign_off)
        page.get_by_role("button", name=f"Sign off for {district}").click()
        fill_signatory(page, "Chief Executive of " + district, "Chief Executive")
        page.get_by_label("I confirm the statement above").check()
        page.get_by_role("button", name="Sign off").click()
        page.get_by_role("button", name="Confirm and sign").click()
        expect(page.get_by_test_id("confirmation-panel")).to_contain_text(district)
    page.get_by_role("button", name="Record the council's adoption").click()
    fill_signatory(page, "Cllr Sam Ward", "Leader of the Council")
    page.get_by_label("Meeting that adopted it").fill("Full council, 26 June 2008")
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the adoption").click()
    page.get_by_role("button", name="Confirm and sign").click()
    expect(page.get_by_test_id("waiting-for")).to_contain_text("Government Office's recommendation")
    browsing.sign_out()

    # The GO lead recommends, with the Regional Director's confirmation.
    browsing.sign_in(signing.email("negotiator"))
    browsing.goto(signing.sign_off)
    page.get_by_role("button", name="Record the GO's recommendation").click()
    fill_signatory(page, "Nadia Negotiator", "GO lead negotiator")
    page.get_by_label("Regional Director's name").fill("Keith Regional")
    page.get_by_label("The Regional Director confirms").check()
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the recommendation").click()
    page.get_by_role("button", name="Confirm and sign").click()
    expect(page.get_by_test_id("waiting-for")).to_contain_text("Minister")
    browsing.sign_out()

    # The admin records the Minister's signature: the agreement is signed.
    browsing.sign_in(signing.email("admin"))
    browsing.goto(signing.sign_off)
    page.get_by_role("button", name="Record the Minister's signature").click()
    browsing.assert_accessible()
    fill_signatory(page, "The Minister for Local Government", "Minister of State")
    page.get_by_label("I confirm the statement above").check()
    page.get_by_role("button", name="Record the Minister's signature").click()
    page.get_by_role("button", name="Confirm and sign").click()
    expect(page.get_by_test_id("signed-panel")).to_contain_text("is the published agreement")
    expect(page.get_by_test_id("stage")).to_have_text("Signed")
    browsing.assert_accessible()
    browsing.sign_out()


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.celery
def test_the_signing_journey(celery_worker_process, browsing):
    signing = Signing.build()
    agreement = signing.agreement
    # Another area's agreement, signed already, for the export of every signed agreement.
    other = AgreementFactory(signed=True, complete=True)
    sign_chain(browsing, signing)
    agreement.refresh_from_db()
    assert agreement.stage == Stage.SIGNED
    assert agreement.signed_version.sign_offs.get().signatures.count() == 6
    page = browsing.page

    # The coordinator downloads the signed PDF, produced by the worker.
    browsing.sign_in(signing.email("coordinator"))
    browsing.goto(signing.detail)
    page.get_by_role("button", name="Download as PDF").click()
    expect(page.get_by_test_id("job-state")).to_contain_text("Ready to download", timeout=60_000)
    browsing.assert_accessible()
    data = download(page, "Download")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert f"Version {agreement.signed_version.number}" in text
    assert "Dr Jo Hughes" in text and "Cllr Sam Ward" in text and "Keith Regional" in text
    assert "DRAFT" not in text
    browsing.sign_out()

    # The admin runs the export of every signed agreement and watches its progress.
    browsing.sign_in(signing.email("admin"))
    browsing.goto("/jobs/exports/2008-11/")
    browsing.assert_accessible()
    page.get_by_test_id("export-signed_agreements_zip").get_by_role("button").click()
    status = page.get_by_test_id("job-state")
    job_page = page.url
    seen = [status.inner_text()]
    while "Ready to download" not in seen[-1] and len(seen) < 400:
        page.wait_for_timeout(100)
        seen.append(status.inner_text())
    # The page followed the job by itself, from waiting or running to ready, in place.
    assert "Ready to download" not in seen[0], seen
    assert "Ready to download" in seen[-1], seen
    assert page.url == job_page
    browsing.assert_accessible()
    with zipfile.ZipFile(io.BytesIO(download(page, "Download"))) as archive:
        names = archive.namelist()
    assert "manifest.csv" in names
    assert any(agreement.area.slug in name.lower() for name in names)
    assert any(other.area.slug in name.lower() for name in names)
