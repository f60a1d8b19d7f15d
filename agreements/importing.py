"""Designated targets from a CSV or XLSX file made from the downloadable template.

The whole file is checked before anything is saved; every problem is reported with its
row and column, and a file with any problem saves nothing.

Uploads are untrusted, so reading them is bounded however the file describes itself: at
most the header and MAX_ROWS rows are read, and of an XLSX workbook only the template's
columns. An XLSX file is a zip of XML parts; before openpyxl opens it, the archive's
unpacked size, its number of parts and the XML elements openpyxl would parse are counted
and capped, so neither a zip bomb nor a sheet that declares (or holds) millions of cells
costs more than a fraction of a second.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.parsers import expat

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from agreements import selectors
from agreements.forms import FigureField, TargetForm
from agreements.models import Agreement, DatePrecision, Target
from agreements.services import TargetFields
from indicators.models import RoundIndicator

MAX_ROWS = 200  # targets in one file
READ_ROWS = MAX_ROWS + 1  # the header and the targets: no row below is ever read
MAX_BYTES = 2 * 1024 * 1024  # the upload form refuses larger files before they get here
# An XLSX file made from the template unpacks to tens of kilobytes; these caps leave room
# for a workbook saved by any spreadsheet program with a few other sheets.
MAX_UNPACKED_BYTES = 10 * 1024 * 1024
MAX_PARTS = 500
MAX_XML_ELEMENTS = 50_000
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # encrypted XLSX files and old XLS files
ECHO_LENGTH = 40  # the most of a person's own text repeated back in a message

# Columns a file may leave out: files made from an older template still import.
OPTIONAL_COLUMNS = ["statement"]


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # the spreadsheet row number (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        if self.row and not self.column:  # the row as a whole
            return f"Row {self.row}: {self.message}"
        where = f"Row {self.row}, {self.column}" if self.row else self.column.capitalize()
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file")


def _refuse(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(None, "file", message)])


NOT_READABLE = "The file is not a readable XLSX workbook. Save it again as XLSX, or as CSV"
TOO_BIG = (
    "The workbook holds too much to check. Copy the targets into the template and "
    "upload that instead"
)
TOO_MANY_ROWS = (
    f"The file has rows below row {READ_ROWS}. It can hold at most {MAX_ROWS} targets, on "
    f"rows 2 to {READ_ROWS}: delete any rows below them, even empty ones, or split the file"
)


def columns(agreement: Agreement) -> list[str]:
    years = [f"target {year}" for year in agreement.round.years]
    return [
        "indicator code",
        "outcome",
        "baseline value",
        "baseline year",
        "baseline due on",
        *years,
        "units",
        "stretch",
        "deferred",
        "caveats",
        "lead partner",
    ]


def template_columns(agreement: Agreement) -> list[str]:
    return [*columns(agreement), *OPTIONAL_COLUMNS]


def template_csv(agreement: Agreement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_columns(agreement))
    example = [
        "NI 120",
        "",
        "750",
        "2007/08",
        "",
        *["" for _ in agreement.round.years],
        "",
        "no",
        "no",
        "",
        "",
        "",
    ]
    writer.writerow(example)
    return out.getvalue()


def template_xlsx(agreement: Agreement) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Designated targets"
    sheet.append(template_columns(agreement))
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Reading a file, bounded -----------------------------------------------------------


def read_rows(name: str, content: bytes, width: int) -> list[list[str]]:
    """The file's first rows as text, at most READ_ROWS of them; an XLSX row holds the first
    `width` columns."""
    if len(content) > MAX_BYTES:
        raise _refuse("The file must be smaller than 2 MB")
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content, width)
    return _read_csv(content)


def _read_csv(content: bytes) -> list[list[str]]:
    # Decoded as it is read, so only the rows read are ever held as text.
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    rows = []
    try:
        for number, row in enumerate(csv.reader(stream), start=1):
            if number > READ_ROWS:
                # Blank lines a spreadsheet leaves after the data (",,,,") are passed over;
                # the file's size (MAX_BYTES) bounds how many there can be.
                if any(cell.strip() for cell in row):
                    raise _refuse(TOO_MANY_ROWS)
                continue
            rows.append(row)
    except UnicodeDecodeError as exc:
        raise _refuse(
            "The CSV file must be saved as UTF-8 text (in Excel, choose CSV UTF-8)"
        ) from exc
    except csv.Error as exc:  # a field longer than the csv module allows
        raise _refuse(
            "The CSV file cannot be read. Save it again from the template as CSV UTF-8"
        ) from exc
    return rows


def _read_xlsx(content: bytes, width: int) -> list[list[str]]:
    if content.startswith(OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in content:
            raise _refuse(
                "The workbook is protected with a password. Remove the password, save it "
                "and upload it again"
            )
        raise _refuse("The file is an old-style Excel workbook. Save it as XLSX, or as CSV")
    check_workbook_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _refuse(NOT_READABLE) from exc
    try:
        if not workbook.worksheets:
            raise _refuse("The workbook has no sheets. Put the targets on its first sheet")
        rows = []
        for number, values in enumerate(sheet_rows(workbook.worksheets[0], width), start=1):
            if number > READ_ROWS:
                raise _refuse(TOO_MANY_ROWS)
            rows.append([_cell_text(value) for value in values])
        return rows
    except ImportRejected:
        raise
    except Exception as exc:  # a cell openpyxl cannot turn into a value
        raise _refuse(NOT_READABLE) from exc
    finally:
        workbook.close()


def sheet_rows(sheet, width: int) -> Iterator[tuple]:
    """The sheet's values, row by row: the template's columns only, and one row past
    READ_ROWS at most (to tell that a file is too long), whatever size the sheet declares."""
    return sheet.iter_rows(min_row=1, max_row=READ_ROWS + 1, max_col=width, values_only=True)


def check_workbook_archive(content: bytes) -> None:
    """Refuse a workbook whose archive would take too long or too much memory to open.

    Python's zipfile never unpacks a part beyond the size the archive declares for it, so
    the declared sizes bound the unpacking. Every XML part is then streamed through expat,
    counting elements, before openpyxl builds anything from it: a worksheet up to the end
    of the first row that sheet_rows stops at (openpyxl reads no further), any other part
    to its end."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(NOT_READABLE) from exc
    if any(part.flag_bits & 0x1 for part in parts):
        raise _refuse(
            "The workbook is protected with a password. Remove the password, save it and "
            "upload it again"
        )
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise _refuse(TOO_BIG)
    budget = _ElementBudget(MAX_XML_ELEMENTS)
    for part in parts:
        if part.is_dir():
            continue
        try:
            with archive.open(part) as stream:
                _scan_xml(stream, budget)
        except ImportRejected:
            raise
        except Exception as exc:  # a damaged or unsupported part
            raise _refuse(NOT_READABLE) from exc


class _ElementBudget:
    def __init__(self, elements: int):
        self.left = elements

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _refuse(TOO_BIG)


class _PartRead(Exception):
    """openpyxl will read no further into this worksheet."""


def _scan_xml(stream, budget: _ElementBudget) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    row = 0
    last_row = READ_ROWS + 1

    def start(name: str, attributes: dict) -> None:
        nonlocal row
        budget.spend()
        if name == f"{SHEET_NS} row":  # numbered as openpyxl numbers them
            number = attributes.get("r")
            if number is None:
                row += 1
            else:
                try:
                    row = int(number)
                except ValueError:
                    value = float(number)  # a ValueError here: openpyxl refuses it too
                    if not value.is_integer():
                        raise
                    row = int(value)

    def end(name: str) -> None:
        if row > last_row and name == f"{SHEET_NS} row":
            raise _PartRead

    def doctype(*args) -> None:  # no workbook part has one; entities are a known attack
        raise _refuse(NOT_READABLE)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (_PartRead, expat.ExpatError):
        # Not XML (a picture, say), or broken: openpyxl refuses it, if it reads it at all,
        # at the same place.
        return


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    name: str,
    content: bytes,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    no_rows_message: str,
    missing_message: str = "This column is missing; use the template",
    heading_prefix: str = "",
) -> tuple[dict[str, int | None], list[tuple[int, list[str]]]]:
    """The position of each column in the header (None for an optional column left out)
    and the filled rows under it, each with its row number; or ImportRejected for an
    empty file, missing columns or no rows. A heading may carry `heading_prefix`, which is
    dropped."""
    wanted = [*required, *optional]
    rows = [
        (number, row)
        for number, row in enumerate(read_rows(name, content, len(wanted)), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise _refuse("The file is empty")
    header = [cell.strip().lower().removeprefix(heading_prefix) for cell in rows[0][1]]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportRejected(
            [ImportProblem(rows[0][0], column, missing_message) for column in missing]
        )
    body = rows[1:]
    if not body:
        raise _refuse(no_rows_message)
    position = {column: header.index(column) if column in header else None for column in wanted}
    return position, body


def row_cells(
    row: list[str], position: dict[str, int | None], problem: Callable
) -> dict[str, str | None]:
    """A row's text by column; a cell holding a null character is refused and is None."""
    cells: dict[str, str | None] = {}
    for column, index in position.items():
        text = row[index].strip() if index is not None and index < len(row) else ""
        if "\x00" in text:  # PostgreSQL cannot store it in any text column
            problem(column, "contains a hidden null character; type the text again")
            text = None
        cells[column] = text
    return cells


# --- Checking each row with the target form ----------------------------------------------


def _echo(text: str) -> str:
    """A person's own text, short enough to repeat in a message."""
    return text if len(text) <= ECHO_LENGTH else text[: ECHO_LENGTH - 1] + "…"


def in_column(message: str, label: str) -> str:
    """A form's message as it reads after its column's name: without the field's label
    that starts it ("Units must be 100 characters or fewer" under units)."""
    label = str(label or "")
    if label and message.lower().startswith(label.lower() + " "):
        return message[len(label) + 1 :]
    return message


def _decimal(cells: dict, column: str, problem: Callable) -> Decimal | None:
    """A figure read by the same field as the forms' figures, refused in the same words."""
    field = FigureField(label=column, required=False)
    try:
        return field.clean(cells[column] or "")
    except ValidationError as error:
        problem(column, in_column(error.messages[0], column))
        return None


# A cell already refused (for a null character) is None, and is not checked again.


def _date(cells: dict, column: str, problem: Callable) -> tuple[tuple | None, str]:
    """The (day, month, year) of a date, a month (2009-03) or a year (2009), with how much
    of it was given, as the target form's baseline-by date takes them."""
    text = cells[column]
    if not text:
        return None, DatePrecision.DAY
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(text) == 4 and text.isdigit():
            return (None, None, dt.date(int(text), 1, 1).year), DatePrecision.YEAR
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            month = dt.date(int(parts[0]), int(parts[1]), 1)
            return (None, month.month, month.year), DatePrecision.MONTH
        if len(parts) == 3:
            day = dt.date.fromisoformat(text)
            return (day.day, day.month, day.year), DatePrecision.DAY
    except ValueError:
        pass
    problem(
        column,
        "must be a date as YYYY-MM-DD (2009-03-31), a month as YYYY-MM (2009-03) or a year (2009)",
    )
    return None, DatePrecision.DAY


def _flag(cells: dict, column: str, problem: Callable) -> bool:
    text = (cells[column] or "").lower()
    if text in YES:
        return True
    if text not in NO:
        problem(column, "must be yes or no")
    return False


def _form_columns(agreement: Agreement) -> dict[str, str]:
    """The column of the file each field of the target form is read from."""
    return {
        "indicator": "indicator code",
        "outcome": "outcome",
        "baseline_value": "baseline value",
        "baseline_year": "baseline year",
        "baseline_due_on": "baseline due on",
        "baseline_due_precision": "baseline due on",
        **{f"value_{i}": f"target {year}" for i, year in enumerate(agreement.round.years)},
        "units": "units",
        "is_stretch": "stretch",
        "is_deferred": "deferred",
        "caveats": "caveats",
        "lead_partner": "lead partner",
        "contributing_partners": "lead partner",
        "is_qualitative": "statement",
        "statement": "statement",
    }


def parse(agreement: Agreement, name: str, content: bytes) -> list[TargetFields]:
    """Every row as the fields of a new designated target, or ImportRejected with all the
    problems found.

    The file's own conventions (an indicator's code, an outcome's or a partner's name,
    yes or no, dates as text) are read here; each row is then checked by the target
    form itself, so a row breaks exactly the rules the form enforces, in its words."""
    position, body = read_table(
        name,
        content,
        required=columns(agreement),
        optional=OPTIONAL_COLUMNS,
        no_rows_message="The file has no targets under the header",
    )
    catalogue = {
        entry.indicator.code.upper(): entry
        for entry in RoundIndicator.objects.filter(round=agreement.round).select_related(
            "indicator"
        )
    }
    existing = set(
        agreement.targets.exclude(indicator=None).values_list("indicator__code", flat=True)
    )
    partners = {org.name.lower(): org for org in selectors.area_partners(agreement)}
    outcomes = {outcome.title.lower(): outcome for outcome in agreement.outcomes.all()}
    form_columns = _form_columns(agreement)
    problems: list[ImportProblem] = []
    results: list[TargetFields] = []
    seen: dict[str, int] = {}

    for number, row in body:
        refused: set[str] = set()  # a column reports its first problem only

        def problem(column: str, message: str, number=number, refused=refused) -> None:
            if column not in refused:
                refused.add(column)
                problems.append(ImportProblem(number, column, message))

        cells = row_cells(row, position, problem)
        code = " ".join((cells["indicator code"] or "").upper().replace("NI", "NI ").split())
        entry = catalogue.get(code)
        if cells["indicator code"] is None:
            pass
        elif not code:
            problem("indicator code", "Enter an indicator code, for example NI 120")
        elif entry is None:
            problem(
                "indicator code",
                f"{_echo(cells['indicator code'])} is not in the {agreement.round} indicator set",
            )
        elif entry.is_statutory:
            problem(
                "indicator code", f"{code} is a statutory education target, not a designated one"
            )
        elif code in existing:
            problem("indicator code", f"{code} is already in this agreement")
        elif code in seen:
            problem("indicator code", f"{code} is also on row {seen[code]}")
        else:
            seen[code] = number

        due_on, due_precision = _date(cells, "baseline due on", problem)
        statement = cells["statement"] or ""
        data = {
            "indicator": entry.indicator.pk if entry is not None else "",
            "baseline_value": cells["baseline value"] or "",
            "baseline_year": cells["baseline year"] or "",
            "baseline_due_precision": due_precision,
            "is_qualitative": "on" if statement else "",
            "statement": statement,
            "units": cells["units"] or "",
            "caveats": cells["caveats"] or "",
            "reason": "",
        }
        for index, part in enumerate(due_on or ("", "", "")):
            data[f"baseline_due_on_{index}"] = "" if part is None else str(part)
        for index, year in enumerate(agreement.round.years):
            data[f"value_{index}"] = cells[f"target {year}"] or ""
        for field, column in (("is_stretch", "stretch"), ("is_deferred", "deferred")):
            if _flag(cells, column, problem):
                data[field] = "on"
        if cells["lead partner"]:
            lead = partners.get(cells["lead partner"].lower())
            if lead is None:
                problem(
                    "lead partner",
                    f"{_echo(cells['lead partner'])} is not a partner in {agreement.area}",
                )
            else:
                data["lead_partner"] = lead.pk
        if cells["outcome"]:
            outcome = outcomes.get(cells["outcome"].lower())
            if outcome is None:
                problem(
                    "outcome",
                    f"There is no outcome called ‘{_echo(cells['outcome'])}’ in this agreement",
                )
            else:
                data["outcome"] = outcome.pk

        form = TargetForm(data, agreement=agreement, kind=Target.Kind.DESIGNATED)
        if form.is_valid():
            if entry is not None:
                results.append(form.target_fields())
            continue
        for field, messages in form.errors.items():
            column = form_columns.get(field, "")
            label = form.fields[field].label if field in form.fields else ""
            for message in messages:
                problem(column, in_column(message, label))

    cap = agreement.round.designated_target_cap
    if cap is not None:
        current = agreement.targets.filter(kind=Target.Kind.DESIGNATED).count()
        if current + len(body) > cap:
            problems.append(
                ImportProblem(
                    None,
                    "file",
                    f"The agreement has {current} designated targets; adding {len(body)} "
                    f"would pass the cap of {cap}",
                )
            )
    if problems:
        raise ImportRejected(problems)
    return results
