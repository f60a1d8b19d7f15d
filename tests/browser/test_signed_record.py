"""A 20-target agreement from draft to signed in the browser, then the record as signed: the
version page, the signed PDF and the register show every target agreed, with its units,
caveat, the precision typed, the district split and the statutory targets' note."""

import csv
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Area, Organisation
from agreements.importing import columns
from agreements.models import Agreement
from agreements.stages import Stage
from indicators.models import Indicator, Round
from negotiations.models import Referral
from tests.browser.test_negotiation import act
from tests.browser.test_signing import Signing, download, sign_chain
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    FundingEntryFactory,
    TargetFactory,
    UserFactory,
    statutory_targets,
)

pytestmark = [pytest.mark.browser, pytest.mark.celery]

STATUTORY_NOTE = "Statutory targets are agreed with DCSF in the annual target-setting cycle."

# Fifteen designated targets the coordinator imports, beside the draft's three designated
# targets and its two local ones: 20 in all. (code, baseline, yearly values, units, caveat)
IMPORTED = [
    ("NI 1", "72.0", ("74.0", "76.0", "78.0"), "% of residents", ""),
    ("NI 4", "29", ("31", "33", "35"), "% of residents", ""),
    ("NI 15", "1.25", ("1.20", "1.15", "1.10"), "per 1,000 population", ""),
    ("NI 20", "7.4", ("7.2", "7.0", "6.8"), "per 1,000 population", ""),
    ("NI 21", "23", ("25", "27", "29"), "% of residents", ""),
    ("NI 32", "", ("", "", ""), "repeat incidents", "Deferred until the MARAC baseline in 2009"),
    ("NI 56", "18.9", ("18.6", "18.3", "18.0"), "% of Year 6 children", ""),
    ("NI 110", "66", ("68", "70", "72"), "% of young people", ""),
    ("NI 117", "6.1", ("5.9", "5.7", "5.5"), "% of 16-18 year olds", ""),
    ("NI 141", "69", ("71", "73", "75"), "% of vulnerable people", ""),
    ("NI 154", "2010", ("2100", "2200", "2300"), "homes", ""),
    ("NI 8", "20.5", ("21.0", "21.5", "22.0"), "% of adults", ""),
    ("NI 47", "310", ("300", "290", "280"), "people", ""),
    ("NI 186", "7.9", ("7.7", "7.5", "7.3"), "tonnes CO2 per head", ""),
    ("NI 192", "34.0", ("36.0", "38.0", "40.0"), "% of household waste", ""),
]


def draft_of_five_targets() -> Signing:
    """A complete draft of a new two-tier area of GO North West: two local targets, three
    designated ones, the statutory education targets and a funding stream with consent;
    with the people who sign it (its primary care trust and two district councils as
    partners)."""
    area = AreaFactory(
        tier=Area.Tier.COUNTY, government_office=Organisation.objects.get(slug="go-north-west")
    )
    agreement = AgreementFactory(area=area, complete=True)
    for code in ("NI 120", "NI 39", "NI 152"):
        TargetFactory(
            agreement=agreement,
            designated=True,
            indicator=Indicator.objects.get(code=code),
            baseline_year="2007/08",
        )
    statutory_targets(agreement)
    FundingEntryFactory(agreement=agreement)
    return Signing.build(agreement)


def targets_csv(agreement: Agreement) -> bytes:
    header = columns(agreement)
    years = [f"target {year}" for year in agreement.round.years]
    council = agreement.area.organisations.get(kind="locality").name
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="")
    writer.writeheader()
    for code, baseline, values, units, caveat in IMPORTED:
        row = {
            "indicator code": code,
            "baseline value": baseline,
            "baseline year": "2007/08" if baseline else "",
            "baseline due on": "" if baseline else "2009-03-31",
            "units": units,
            "stretch": "yes" if code == "NI 56" else "no",
            "deferred": "yes" if caveat else "no",
            "caveats": caveat,
            "lead partner": council,
        }
        row.update(dict(zip(years, values, strict=True)))
        writer.writerow(row)
    return out.getvalue().encode()


def read_pdf(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_a_twenty_target_agreement_from_draft_to_signed(celery_worker_process, browsing):
    Round.objects.filter(slug="2008-11").update(statutory_note=STATUTORY_NOTE)
    signing = draft_of_five_targets()
    agreement, area = signing.agreement, signing.agreement.area
    official = UserFactory(
        official=True, organisation=Organisation.objects.get(abbreviation="DCSF")
    )
    detail, negotiation = signing.detail, signing.negotiation
    page = browsing.page

    # The coordinator imports fifteen targets and splits one between the districts.
    browsing.sign_in(signing.email("coordinator"))
    browsing.goto(detail + "targets/import/")
    page.get_by_label("Targets file (CSV or XLSX)").set_input_files(
        files=[{"name": "targets.csv", "mimeType": "text/csv", "buffer": targets_csv(agreement)}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("15")
    assert agreement.targets.exclude(kind="statutory").count() == 20
    ni1 = agreement.targets.get(indicator__code="NI 1")
    browsing.goto(f"{detail}targets/{ni1.pk}/edit/")
    page.get_by_label("Carlisle City Council's share").fill("12.0")
    page.get_by_label("South Lakeland District Council's share").fill("8.50")
    page.get_by_label("Reason for the change").fill("Split agreed with the districts")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator("main")).to_contain_text("8.50")
    browsing.goto(negotiation)
    act(browsing, "Submit to the Government Office")
    page.get_by_role("button", name="Submit to GO North West").click()
    expect(page.get_by_test_id("stage")).to_have_text("Submitted to GO")
    browsing.sign_out()

    # The GO lead reviews and refers the agreement to the departments it touches.
    browsing.sign_in(signing.email("negotiator"))
    browsing.goto(negotiation)
    act(browsing, "Start the review")
    act(browsing, "Refer to departments")
    expect(page.get_by_test_id("stage")).to_have_text("Referred to departments")
    browsing.sign_out()

    # DCSF answers its referral.
    browsing.sign_in(official.email)
    page.get_by_role(
        "link", name=f"Give your views on the targets in your field for {area.name}"
    ).click()
    view = page.locator(f"#target-{agreement.targets.get(indicator__code='NI 110').pk}")
    view.get_by_label("Support NI 110", exact=True).check()
    page.get_by_role("button", name="Send our views to the Government Office").click()
    expect(page.get_by_test_id("stage")).to_have_text("Referred to departments")
    browsing.sign_out()

    # The GO cannot agree in principle yet: referrals, checklist and items are outstanding.
    browsing.sign_in(signing.email("negotiator"))
    browsing.goto(negotiation)
    blocked = page.locator("main")
    expect(blocked).to_contain_text("not answered or withdrawn")
    expect(blocked).to_contain_text("not rated")
    # It withdraws the referrals its negotiating brief covers, with a reason.
    waiting = Referral.objects.filter(agreement=agreement, answered_at__isnull=True)
    departments = [r.department.short_name for r in waiting.select_related("department")]
    assert departments, "only DCSF has answered: the others wait"
    for department in departments:
        browsing.goto(negotiation)
        page.get_by_role("link", name=f"Withdraw the referral to {department}").click()
        page.get_by_label("Why the referral is withdrawn").fill("Covered by our negotiating brief")
        page.get_by_role("button", name="Withdraw the referral").click()
        expect(page.get_by_test_id("referrals")).to_contain_text("Covered by our negotiating")
    # The review checklist, every criterion rated.
    browsing.goto(detail + "negotiation/review/")
    for fieldset in page.locator("fieldset").all():
        fieldset.get_by_label("Adequate").check()
    page.get_by_role("button", name="Save the checklist").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    # Every remaining item agreed in one confirmed step.
    browsing.goto(negotiation)
    page.get_by_test_id("agree-remaining").click()
    expect(page.get_by_test_id("remaining-items")).to_contain_text("21 items to be agreed")
    browsing.assert_accessible()
    page.get_by_role("button", name="Agree these items").click()
    browsing.goto(negotiation)
    act(browsing, "Agree in principle", comment="Recommended to the Regional Director.")
    expect(page.get_by_test_id("stage")).to_have_text("Agreed in principle")
    browsing.sign_out()

    # Sign-off through the whole chain.
    sign_chain(browsing, signing)
    agreement.refresh_from_db()
    assert agreement.stage == Stage.SIGNED
    signed = agreement.signed_version
    frozen = [t for t in signed.content["targets"] if t["kind"] != "statutory"]
    assert len(frozen) == 20
    assert {t["status"] for t in frozen} == {"agreed"}

    # The version page: every target agreed, with units, caveat, precision and the split.
    browsing.sign_in(signing.email("coordinator"))
    browsing.goto(f"{detail}versions/{signed.number}/")
    main = page.locator("main")
    expect(main).to_contain_text(STATUTORY_NOTE)
    expect(main).to_contain_text("Deferred until the MARAC baseline in 2009")
    expect(main).to_contain_text("tonnes CO2 per head")
    expect(main).to_contain_text("78.0")
    expect(main).to_contain_text("Carlisle City Council")
    expect(main).to_contain_text("8.50")
    expect(main).not_to_contain_text("Proposed")
    expect(main).not_to_contain_text("Missing")
    browsing.assert_accessible()

    # The signed PDF, from the version page, rendered by the worker and kept.
    page.get_by_role("link", name="Download the signed PDF").click()
    expect(page.get_by_test_id("job-state")).to_contain_text("Ready to download", timeout=90_000)
    first = read_pdf(download(page, "Download"))
    browsing.goto(f"{detail}versions/{signed.number}/")
    second = read_pdf(download(page, "Download the signed PDF"))
    assert first == second
    for text in (
        STATUTORY_NOTE,
        "Deferred until the MARAC baseline in 2009",
        "tonnes CO2 per head",
        "78.0",
        "8.50",
        "South Lakeland District Council",
    ):
        assert text in first, text
    assert "Proposed" not in first
    browsing.sign_out()

    # The register of targets: each of the area's targets agreed, as typed.
    browsing.sign_in(signing.email("admin"))
    browsing.goto("/jobs/exports/2008-11/")
    page.get_by_test_id("export-targets_csv").get_by_role("button").click()
    expect(page.get_by_test_id("job-state")).to_contain_text("Ready to download", timeout=90_000)
    register = list(csv.DictReader(io.StringIO(download(page, "Download").decode("utf-8-sig"))))
    rows = [row for row in register if row["area"] == area.name]
    designated = {
        row["indicator_code"] or row["indicator"]: row
        for row in rows
        if row["kind"] != "Statutory education"
    }
    assert len(designated) == 20
    assert {row["status"] for row in designated.values()} == {"Agreed"}
    assert designated["NI 1"]["target_2010/11"] == "78.0"
    assert "Carlisle City Council: 12.0" in designated["NI 1"]["district_split"]
    assert designated["NI 32"]["caveats"] == "Deferred until the MARAC baseline in 2009"
    assert designated["NI 186"]["units"] == "tonnes CO2 per head"
