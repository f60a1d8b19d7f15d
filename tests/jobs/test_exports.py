"""The national team's exports, read back: the zip of signed PDFs with its manifest, the
register of targets as CSV and XLSX, and every request with its answer as CSV."""

import csv
import hashlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Area
from agreements import services as drafting
from agreements.models import Agreement
from freedoms.models import NegotiatingBrief
from jobs import producers, services
from jobs.models import Kind, State, VersionPdf
from jobs.producers import prepare_signed_pdfs
from tests.jobs.conftest import job_files, run, sign


def export(kind, round_2008, admin_user):
    job = run(services.export_request(kind=kind, round_=round_2008, actor=admin_user))
    assert job.state == State.DONE, job.error
    assert len(job_files(job)) == 1
    return job, job.file.open("rb").read()


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_zip_holds_each_signed_agreement_with_a_manifest(agreement, round_2008, admin_user):
    sign(agreement)
    leeds = Agreement.objects.get(area__name="Lancashire")
    sign(leeds)
    signed = sorted(
        Agreement.objects.filter(round=round_2008, signed_version__isnull=False).values_list(
            "area__name", flat=True
        )
    )
    # Bolton, amending at the refresh, keeps its signed version in the zip.
    assert {"Bolton", "Cumbria", "Lancashire", "Wigan"} <= set(signed)
    job, data = export(Kind.SIGNED_AGREEMENTS_ZIP, round_2008, admin_user)
    assert job.file_name == "signed-agreements-2008-11.zip"
    assert job.progress_done == job.progress_total == len(signed)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = csv_rows(archive.read("manifest.csv"))
    assert [row["area"] for row in manifest] == signed
    assert set(archive.namelist()) == {"manifest.csv", *[row["file"] for row in manifest]}
    for row in manifest:
        pdf = archive.read(row["file"])
        assert hashlib.sha256(pdf).hexdigest() == row["sha256"]
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == int(row["pages"])
        assert "DRAFT" not in "".join(page.extract_text() for page in reader.pages)
    cumbria = next(row for row in manifest if row["area"] == "Cumbria")
    assert cumbria["signed_on"] == "2008-06-20"
    assert cumbria["government_office"] == "GO North West"
    assert cumbria["version"] == str(agreement.signed_version.number)
    assert cumbria["file"] == f"cumbria-2008-11-version-{agreement.signed_version.number}.pdf"


def test_two_renders_of_one_signed_version_at_once_store_one_pdf(agreement, monkeypatch):
    """SQLite's way (no row locks): each render runs outside a transaction and the second
    to finish keeps the first one's PDF."""
    sign(agreement)
    render = producers.render_source
    others: list = []

    def render_while_another_worker_finishes(source):
        if not others:  # another worker renders and stores the same version meanwhile
            others.append(None)
            others[0] = producers.version_pdf_render_then_store(agreement=agreement)
        return render(source)

    monkeypatch.setattr(producers, "render_source", render_while_another_worker_finishes)
    folder = Path(settings.MEDIA_ROOT) / "jobs" / "signed" / str(agreement.signed_version_id)
    before = set(folder.iterdir()) if folder.exists() else set()
    mine = producers.version_pdf_render_then_store(agreement=agreement)
    assert mine.pk == others[0].pk
    assert VersionPdf.objects.filter(version=agreement.signed_version).count() == 1
    assert set(folder.iterdir()) - before == {Path(mine.file.path)}  # one file written
    assert producers.version_pdf_ensure(agreement=agreement).pk == mine.pk


def test_spare_workers_render_the_signed_pdfs_a_zip_needs(agreement, round_2008):
    sign(agreement)
    assert prepare_signed_pdfs(round_2008.pk) >= 1
    assert prepare_signed_pdfs(round_2008.pk) == 0  # already there
    assert VersionPdf.objects.filter(version=agreement.signed_version).exists()


def test_the_register_of_targets_takes_each_agreement_from_its_best_source(
    agreement, round_2008, admin_user, coordinator2
):
    sign(agreement)
    drafting.agreement_open(
        area=Area.objects.get(name="Leeds"), round=round_2008, actor=coordinator2
    )
    job, data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    rows = csv_rows(data)
    sources = {row["area"]: row["source"] for row in rows}
    assert sources["Cumbria"] == "signed version"
    assert sources["Lancashire"] == "latest version"  # submitted, in GO review
    assert sources["Leeds"] == "working draft"  # opened, never submitted
    ni120 = next(r for r in rows if r["area"] == "Cumbria" and r["indicator_code"] == "NI 120")
    assert ni120["target_2008/09"] == "700"
    assert ni120["target_2010/11"] == "675"
    assert ni120["kind"] == "Designated"
    assert ni120["government_office"] == "GO North West"
    assert ni120["version"] == str(agreement.signed_version.number)
    cumbria = [r for r in rows if r["area"] == "Cumbria"]
    assert len(cumbria) == len(agreement.signed_version.content["targets"])
    assert job.progress_total == Agreement.objects.filter(round=round_2008).count()


def test_the_register_of_targets_reads_only_each_agreements_latest_version(
    agreement, round_2008, admin_user
):
    lancashire = Agreement.objects.get(area__name="Lancashire")
    newest = max(lancashire.versions.values_list("number", flat=True))
    # Two more versions of Cumbria: the first names its NI 120 differently.
    first = sign(agreement, signatures=False)
    Agreement.objects.filter(pk=agreement.pk).update(signed_version=None, signed_at=None)
    content = first.content
    for item in content["targets"]:
        item["name"] = "An older name"
    type(first).objects.filter(pk=first.pk).update(content=content)
    second = sign(agreement, signatures=False)
    Agreement.objects.filter(pk=agreement.pk).update(signed_version=None, signed_at=None)
    latest = {v.agreement_id: v.number for v in producers.latest_versions(round_2008)}
    assert latest[agreement.pk] == second.number
    assert latest[lancashire.pk] == newest
    _, data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    rows = [r for r in csv_rows(data) if r["area"] == "Cumbria"]
    assert {r["source"] for r in rows} == {"latest version"}
    assert {r["version"] for r in rows} == {str(second.number)}
    assert "An older name" not in {r["indicator"] for r in rows}


def test_the_register_as_xlsx_has_the_same_rows_with_numbers(agreement, round_2008, admin_user):
    _, csv_data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    job, data = export(Kind.TARGETS_XLSX, round_2008, admin_user)
    assert job.file_name == "targets-2008-11.xlsx"
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Targets"]
    rows = list(sheet.iter_rows(values_only=True))
    from_csv = list(csv.reader(io.StringIO(csv_data.decode("utf-8-sig"))))
    assert list(rows[0]) == from_csv[0]
    assert len(rows) == len(from_csv)
    header = rows[0]
    ni120 = next(r for r in rows if r[0] == "Cumbria" and r[2] == "NI 120")
    assert ni120[header.index("target_2008/09")] == 700


def test_text_that_a_spreadsheet_would_run_is_kept_as_text(
    agreement, coordinator, round_2008, admin_user
):
    drafting.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="local",
        fields=drafting.TargetFields(
            local_title='=HYPERLINK("http://example.org","click")',
            baseline_value=Decimal("-3"),
            yearly_values=(Decimal("-2"), None, None),
        ),
    )
    _, data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    row = next(r for r in csv_rows(data) if "HYPERLINK" in r["indicator"])
    assert row["indicator"].startswith("'=")
    assert row["baseline"] == "-3"  # numbers stay numbers


def test_the_requests_export_has_every_request_and_answer_but_never_the_brief(
    round_2008, admin_user
):
    job, data = export(Kind.REQUESTS_CSV, round_2008, admin_user)
    rows = csv_rows(data)
    assert len(rows) == 3
    pooled = next(r for r in rows if r["title"].startswith("Pool Connexions"))
    assert pooled["outcome"] == "Agreed in part or alternative offered"
    assert pooled["reasons"] == "Pooling is possible from April 2009, not 2008."
    assert pooled["alternatives"] == "Align the budgets in 2008/09 and pool from 2009/10."
    assert pooled["department"] == "DCSF" and pooled["area"] == "Lancashire"
    assert pooled["decided_by"]
    open_one = next(r for r in rows if r["title"].startswith("Lift the ring-fence"))
    assert open_one["outcome"] == "" and open_one["state"] == "With the department"
    text = data.decode("utf-8-sig")
    for brief in NegotiatingBrief.objects.all():
        assert brief.positions not in text and brief.topics not in text


@pytest.mark.postgres  # row locks: SQLite's only lock is the whole database's
def test_a_version_being_rendered_holds_up_no_other(seeded_transactional_db):
    """While one worker renders a signed version (its row locked), a spare worker renders
    the others, and skips only that one."""
    import threading

    from django.db import connection, transaction

    from indicators.models import Round
    from jobs.producers import lock_version

    round_ = Round.objects.get(slug="2008-11")
    busy = Agreement.objects.get(area__name="Cumbria")
    sign(busy)
    sign(Agreement.objects.get(area__name="Lancashire"))
    others = Agreement.objects.filter(round=round_, signed_version__isnull=False).exclude(
        pk=busy.pk
    )
    locked, release = threading.Event(), threading.Event()

    def another_worker():
        try:
            with transaction.atomic():
                assert lock_version(busy.signed_version_id, wait=True) is not None
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    thread = threading.Thread(target=another_worker)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        assert prepare_signed_pdfs(round_.pk) == others.count()
        assert not VersionPdf.objects.filter(version=busy.signed_version).exists()
    finally:
        release.set()
        thread.join()


def test_the_register_has_every_column_a_target_shows(agreement, round_2008, admin_user):
    import datetime as dt

    from accounts.models import Organisation
    from agreements.models import DistrictShare, Target

    ni120 = agreement.targets.get(indicator__code="NI 120")
    Target.objects.filter(pk=ni120.pk).update(
        units="%",
        baseline_value=Decimal("80"),
        baseline_places=1,
        yearly_values=["78.0", "77", "76.50"],
        is_stretch=True,
        caveats="Subject to the survey.",
        status="agreed_caveat",
    )
    district = Organisation.objects.create(
        name="Carlisle City Council", slug="carlisle-test", kind=Organisation.Kind.PARTNER
    )
    DistrictShare.objects.create(target=ni120, district=district, value=Decimal("12"), places=1)
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.LOCAL,
        local_title="Cleaner streets",
        is_deferred=True,
        caveats="Waits for the new survey.",
        baseline_due_on=dt.date(2009, 3, 31),
        baseline_due_precision="month",
        is_qualitative=True,
        statement="A measurable improvement",
        yearly_values=["4.1", None, None],
        status="deferred",
    )
    job, data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    rows = [r for r in csv_rows(data) if r["area"] == "Cumbria"]
    row = next(r for r in rows if r["indicator_code"] == "NI 120")
    assert (row["baseline"], row["target_2008/09"], row["target_2010/11"]) == (
        "80.0",
        "78.0",
        "76.50",
    )
    assert row["units"] == "%" and row["stretch"] == "yes"
    assert row["caveats"] == "Subject to the survey."
    assert "Carlisle City Council: 12.0" in row["district_split"]
    assert row["status"] == "Agreed with caveat"
    deferred = next(r for r in rows if r["indicator"] == "Cleaner streets")
    assert deferred["baseline_year"] == "" and deferred["baseline_by"] == "2009-03"
    assert deferred["deferred"] == "yes" and deferred["caveats"] == "Waits for the new survey."
    assert deferred["qualitative"] == "yes" and deferred["statement"] == "A measurable improvement"
    assert deferred["target_2008/09"] == "4.1"
    assert deferred["status"] == "Deferred to refresh"
    statutory = [r for r in rows if r["kind"] == "Statutory education"]
    assert all(r["statutory_state"] in ("Awaiting DCSF figures", "Set") for r in statutory)

    _, xlsx = export(Kind.TARGETS_XLSX, round_2008, admin_user)
    sheet = load_workbook(io.BytesIO(xlsx))["Targets"]
    header = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == "Cumbria" and cells[2].value == "NI 120":
            first = cells[header.index("target_2008/09")]
            assert first.value == 78 and first.number_format == "0.0"
            break
    else:
        raise AssertionError("NI 120 not in the workbook")


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_a_cell_starting_like_a_formula_is_never_evaluated(lead, agreement, round_2008, admin_user):
    from agreements.models import Target

    text = f"{lead}1+cmd|' /C calc'!A0"
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.LOCAL,
        local_title=f"{lead}title",
        caveats=text,
        statement=text,
        units=f"{lead}units",
        yearly_values=[None, None, None],
    )
    _, data = export(Kind.TARGETS_CSV, round_2008, admin_user)
    row = next(r for r in csv_rows(data) if r["indicator"].endswith("title"))
    for column in ("indicator", "caveats", "statement", "units"):
        assert row[column].startswith("'" + lead), column
    _, xlsx = export(Kind.TARGETS_XLSX, round_2008, admin_user)
    sheet = load_workbook(io.BytesIO(xlsx))["Targets"]
    header = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        if str(cells[header.index("indicator")].value).endswith("title"):
            for column in ("indicator", "caveats", "statement", "units"):
                cell = cells[header.index(column)]
                assert cell.data_type == "s" and cell.value.startswith("'" + lead), column
            break
    else:
        raise AssertionError("the target is not in the workbook")
