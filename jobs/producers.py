"""What each kind of job produces. A producer writes its file to `out` (a binary temporary
file) and reports progress through `progress(done, total, message)`; it returns the file's
name. Producers read only: the job service decides what becomes of the file."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.dateformat import format as date_format
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from agreements.models import Agreement
from agreements.presentation import TargetPresentation, typed_number
from freedoms.models import FreedomRequest
from indicators.models import Round
from jobs.models import Job, Kind, VersionPdf
from jobs.pdf import draft_source, pdf_file_name, render_source, source_for
from negotiations.models import Version
from negotiations.versions import snapshot
from signoff.selectors import version_is_signed

Progress = Callable[[int, int, str], None]


class JobError(Exception):
    """A job that cannot succeed however often it is tried; the message is for people."""


# --- Signed PDFs, rendered once -----------------------------------------------------------


def version_pdf_ensure(
    *, agreement: Agreement, version=None, wait: bool = True
) -> VersionPdf | None:
    """The stored PDF of a signed version (the agreement's signed version unless another
    version it once signed is given), rendering it if nobody has.

    Renders of one version are serialised by a lock on the version's row, so two workers
    never render the same version twice. With `wait=False` a version another worker is
    rendering right now is skipped (None): that worker will store it. The embedded SQLite
    database has no row locks (see `version_pdf_render_then_store`).
    """
    version_id = version.pk if version is not None else agreement.signed_version_id
    if version_id is None:
        return None
    found = VersionPdf.objects.filter(version_id=version_id).first()
    if found is not None:
        return found
    if connection.vendor == "sqlite":
        return version_pdf_render_then_store(agreement=agreement, version=version)
    with transaction.atomic():
        locked = lock_version(version_id, wait=wait)
        if locked is None:
            return None
        found = VersionPdf.objects.filter(version_id=version_id).first()
        if found is not None:
            return found
        source = source_for(agreement, version=locked)
        return _version_pdf_store(locked, source, render_source(source))


def version_pdf_render_then_store(*, agreement: Agreement, version=None) -> VersionPdf:
    """A signed version's PDF (the agreement's signed version unless another is given),
    rendered outside any transaction and stored unless another run stored it meanwhile, in
    which case that one is kept and this rendering dropped.

    For SQLite, whose only lock is the whole database's write lock: holding it for a render
    would make every other write of the portal wait. Two workers may then render the same
    version at once, but only one PDF is ever stored."""
    version = Version.objects.get(pk=version.pk if version else agreement.signed_version_id)
    source = source_for(agreement, version=version)
    rendered = render_source(source)
    with transaction.atomic():
        found = VersionPdf.objects.filter(version=version).first()
        if found is not None:
            return found
        return _version_pdf_store(version, source, rendered)


def _version_pdf_store(version, source, rendered) -> VersionPdf:
    """Keep one rendering of a signed version (inside the caller's transaction)."""
    stored = VersionPdf(
        version=version,
        sha256=hashlib.sha256(rendered.data).hexdigest(),
        pages=rendered.pages,
        size=len(rendered.data),
    )
    stored.file.save(pdf_file_name(source), ContentFile(rendered.data), save=False)
    stored.save()
    return stored


def lock_version(version_id: int, *, wait: bool):
    """Lock one version's row (and nothing else) for the rest of the transaction.

    FOR NO KEY UPDATE, so that rows referring to the version may still be written; OF the
    version table and with no ordering, so that no joined row (the agreement, its round)
    is locked too, which would make every other version's render wait for this one.
    """
    return (
        Version.objects.select_for_update(no_key=True, skip_locked=not wait, of=("self",))
        .filter(pk=version_id)
        .order_by("pk")
        .first()
    )


# --- The agreement PDF --------------------------------------------------------------------


def agreement_pdf(job: Job, out, progress: Progress) -> str:
    agreement = _agreement(job)
    progress(0, 2, "Gathering the agreement")
    version_id = job.params.get("version")
    version = None
    if version_id is not None:
        version = agreement.versions.filter(pk=version_id).first()
        if version is None:
            raise JobError("That version of the agreement no longer exists.")
    if version is not None and version_is_signed(agreement, version):
        # A signed version (the current one or one an amendment replaced) never changes:
        # its PDF is rendered once and kept.
        stored = version_pdf_ensure(agreement=agreement, version=version)
        progress(1, 2, "Rendering the PDF")
        with stored.file.open("rb") as source_file:
            out.write(source_file.read())
        return stored.file.name.rsplit("/", 1)[-1]
    source = source_for(agreement, version=version) if version else draft_source(agreement)
    progress(1, 2, "Rendering the PDF")
    out.write(render_source(source).data)
    return pdf_file_name(source)


def _agreement(job: Job) -> Agreement:
    agreement = (
        Agreement.objects.select_related("area__government_office", "round", "signed_version")
        .filter(pk=job.agreement_id)
        .first()
    )
    if agreement is None:
        raise JobError("The agreement no longer exists.")
    return agreement


# --- A round's signed agreements as one zip -----------------------------------------------


def signed_agreements(round_) -> list[Agreement]:
    return list(
        Agreement.objects.filter(round=round_, signed_version__isnull=False)
        .select_related("area__government_office", "round", "signed_version")
        .order_by("area__name")
    )


MANIFEST_HEADER = ["area", "government_office", "version", "signed_on", "file", "sha256", "pages"]


def signed_agreements_zip(job: Job, out, progress: Progress) -> str:
    round_ = _round(job)
    agreements = signed_agreements(round_)
    total = len(agreements)
    progress(0, total, f"0 of {total} signed agreements")
    # Other workers may render some of these meanwhile (see `prepare_signed_pdfs`): this run
    # takes the list from the end, so that it and they meet in the middle.
    stored: dict[int, VersionPdf] = {
        pdf.version_id: pdf
        for pdf in VersionPdf.objects.filter(version__in=[a.signed_version_id for a in agreements])
    }
    for agreement in reversed(agreements):
        if agreement.signed_version_id not in stored:
            stored[agreement.signed_version_id] = version_pdf_ensure(agreement=agreement)
        done = len(stored)
        progress(done, total, f"{done} of {total} signed agreements")
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_HEADER)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for agreement in agreements:
            pdf = stored[agreement.signed_version_id]
            name = pdf.file.name.rsplit("/", 1)[-1]
            with pdf.file.open("rb") as source_file:
                archive.writestr(name, source_file.read())
            writer.writerow(
                _safe_row(
                    [
                        agreement.area.name,
                        agreement.area.government_office.name,
                        agreement.signed_version.number,
                        _signed_on(agreement),
                        name,
                        pdf.sha256,
                        pdf.pages,
                    ]
                )
            )
        archive.writestr("manifest.csv", manifest.getvalue())
    progress(total, total, f"{total} of {total} signed agreements")
    return f"signed-agreements-{round_.slug}.zip"


def prepare_signed_pdfs(round_id: int) -> int:
    """Render, on whichever worker is free, the signed PDFs a zip export will need; a
    version another worker is rendering is left to it. Returns how many it rendered."""
    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        return 0
    rendered = 0
    for agreement in signed_agreements(round_):
        if VersionPdf.objects.filter(version_id=agreement.signed_version_id).exists():
            continue
        if version_pdf_ensure(agreement=agreement, wait=False) is not None:
            rendered += 1
    return rendered


def _signed_on(agreement: Agreement) -> str:
    if agreement.signed_at is None:
        return ""
    return date_format(timezone.localtime(agreement.signed_at), "Y-m-d")


def _round(job: Job):
    if job.round is None:
        raise JobError("The round no longer exists.")
    return job.round


# --- The register of targets --------------------------------------------------------------


def target_rows(round_, progress: Progress) -> Iterator[list]:
    """One row per target of every agreement of the round: from the signed version if the
    agreement is signed, else its latest version, else its working draft. Figures are
    numbers with the places they were typed with; every other cell is the text the pages
    show (agreements.presentation)."""
    years = round_.years
    yield [
        "area",
        "government_office",
        "indicator_code",
        "indicator",
        "kind",
        "units",
        "baseline",
        "baseline_year",
        "baseline_by",
        *[f"target_{year}" for year in years],
        "qualitative",
        "statement",
        "stretch",
        "deferred",
        "caveats",
        "lead_partner",
        "contributing_partners",
        "district_split",
        "statutory_state",
        "status",
        "version",
        "source",
    ]
    agreements = list(
        Agreement.objects.filter(round=round_)
        .select_related("area__government_office", "round", "signed_version")
        .order_by("area__name")
    )
    latest = {version.agreement_id: version for version in latest_versions(round_)}
    total = len(agreements)
    for done, agreement in enumerate(agreements, start=1):
        if agreement.signed_version_id:
            version, source = agreement.signed_version, "signed version"
        elif agreement.pk in latest:
            version, source = latest[agreement.pk], "latest version"
        else:
            version, source = None, "working draft"
        content = version.content if version else snapshot(agreement)
        for item in content.get("targets") or []:
            target = TargetPresentation.from_snapshot(item, years)
            yield [
                agreement.area.name,
                agreement.area.government_office.name,
                target.code if target.is_national_indicator else "",
                target.title,
                target.kind_label,
                target.units,
                _typed(target.baseline_value),
                target.baseline_year,
                target.baseline_by_iso,
                *[_typed(year.value) for year in target.years],
                "yes" if target.is_qualitative else "no",
                target.statement,
                "yes" if target.is_stretch else "no",
                "yes" if target.is_deferred else "no",
                target.caveats,
                target.lead_partner,
                "; ".join(target.contributing_partners),
                target.district_split,
                target.statutory_state_label if target.is_statutory else "",
                target.status_label,
                version.number if version else "",
                source,
            ]
        progress(done, total, f"{done} of {total} agreements")


def latest_versions(round_):
    """The latest version of each unsigned agreement of the round, and no other version.

    A subquery per agreement (its highest number, read from the (agreement, number) unique
    index) rather than PostgreSQL's DISTINCT ON, so that the embedded SQLite database runs
    the same query; only the latest versions' contents are read either way."""
    newest = (
        Version.objects.filter(agreement_id=OuterRef("agreement_id"))
        .order_by("-number")
        .values("pk")[:1]
    )
    return Version.objects.filter(
        agreement__round=round_, agreement__signed_version__isnull=True, pk=Subquery(newest)
    ).order_by("agreement_id")


def targets_csv(job: Job, out, progress: Progress) -> str:
    round_ = _round(job)
    _write_csv(out, target_rows(round_, progress))
    return f"targets-{round_.slug}.csv"


def targets_xlsx(job: Job, out, progress: Progress) -> str:
    round_ = _round(job)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Targets")
    for row in target_rows(round_, progress):
        sheet.append([_xlsx_cell(sheet, _safe(value)) for value in row])
    workbook.save(out)
    return f"targets-{round_.slug}.xlsx"


# --- Requests and answers -----------------------------------------------------------------


def requests_csv(job: Job, out, progress: Progress) -> str:
    """Every request of the round with its answer and who gave it. For the national team
    only; the departments' negotiating brief is a separate record and never appears."""
    round_ = _round(job)
    requests = list(
        FreedomRequest.objects.filter(agreement__round=round_)
        .select_related(
            "agreement__area__government_office", "department", "decided_by", "same_as__agreement"
        )
        .order_by("agreement__area__name", "number")
    )
    total = len(requests)
    progress(0, total, f"0 of {total} requests")

    def rows():
        yield [
            "reference",
            "number",
            "area",
            "government_office",
            "title",
            "obstacle_kind",
            "department",
            "state",
            "outcome",
            "reasons",
            "alternatives",
            "decided_by",
            "decided_as",
            "submitted_at",
            "referred_at",
            "due_on",
            "decided_at",
            "late",
        ]
        for done, item in enumerate(requests, start=1):
            yield [
                item.reference,
                item.number,
                item.agreement.area.name,
                item.agreement.area.government_office.name,
                item.title,
                item.get_obstacle_kind_display(),
                item.department.abbreviation if item.department_id else "",
                item.get_state_display(),
                item.get_outcome_display() if item.outcome else "",
                item.reason,
                item.alternative,
                item.decided_by.get_full_name() if item.decided_by_id else "",
                item.get_decided_as_display() if item.decided_as else "",
                _when(item.submitted_at),
                _when(item.referred_at),
                item.due_on.isoformat() if item.due_on else "",
                _when(item.decided_at),
                "yes" if item.is_late else "no",
            ]
            if done % 25 == 0 or done == total:
                progress(done, total, f"{done} of {total} requests")

    _write_csv(out, rows())
    return f"requests-{round_.slug}.csv"


# --- Helpers ------------------------------------------------------------------------------


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _typed(value):
    """A figure typed as text ('78.0') as a number that keeps its places (Decimal('78.0'))."""
    return typed_number(value) if value else ""


def _xlsx_cell(sheet, value):
    """A figure with decimal places is shown with as many in the spreadsheet."""
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0." + "0" * -value.as_tuple().exponent
        return cell
    return value


def _safe(value):
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _safe_row(row: list) -> list:
    return [_safe(value) for value in row]


def _write_csv(out, rows) -> None:
    # UTF-8 with a byte-order mark, so that spreadsheets open the names correctly.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    for row in rows:
        writer.writerow(_safe_row(["" if v is None else v for v in row]))
    text.flush()
    text.detach()


PRODUCERS: dict[str, Callable] = {
    Kind.AGREEMENT_PDF: agreement_pdf,
    Kind.SIGNED_AGREEMENTS_ZIP: signed_agreements_zip,
    Kind.TARGETS_CSV: targets_csv,
    Kind.TARGETS_XLSX: targets_xlsx,
    Kind.REQUESTS_CSV: requests_csv,
}
