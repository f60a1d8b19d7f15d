"""The designated-targets import: every value checked against its column, and untrusted
files read within fixed bounds however they describe themselves.

The crafted workbooks are built here, part by part, from the real template. The bounds are
asserted structurally (what the reader asks openpyxl for, and how many rows and cells
openpyxl parses), never by timing; tests/bench/imports.py times the same files.
"""

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from agreements import importing
from agreements.importing import (
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_XML_ELEMENTS,
    READ_ROWS,
    ImportProblem,
    ImportRejected,
    columns,
)
from tests.agreements.conftest import free_designated_codes

URL = "/agreements/2008-11/cumbria/targets/import/"
SHEET = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NOT_READABLE = "The file is not a readable XLSX workbook"
TOO_BIG = "The workbook holds too much to check"
TOO_MANY_ROWS = f"The file has rows below row {READ_ROWS}"
DATE_FORMS = (
    "must be a date as YYYY-MM-DD (2009-03-31), a month as YYYY-MM (2009-03) or a year (2009)"
)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


# --- Building files ----------------------------------------------------------------------


def good_row(code: str, **values: str) -> list[str]:
    """A row of the template with every column valid, and some values replaced."""
    row = {
        "indicator code": code,
        "outcome": "",
        "baseline value": "5",
        "baseline year": "2007/08",
        "baseline due on": "",
        "target 2008/09": "6",
        "target 2009/10": "7",
        "target 2010/11": "8",
        "units": "",
        "stretch": "no",
        "deferred": "no",
        "caveats": "",
        "lead partner": "",
    }
    row.update(values)
    return list(row.values())


def csv_bytes(agreement, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns(agreement))
    writer.writerows(rows)
    return out.getvalue().encode()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(agreement) -> str:
    cells = "".join(
        inline(f"{chr(ord('A') + n)}1", name) for n, name in enumerate(columns(agreement))
    )
    return f'<row r="1">{cells}</row>'


def sheet_xml(rows: str, dimension: str = "A1:M2", before: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/>{before}<sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def workbook_bytes(agreement, replace: dict[str, bytes | None]) -> bytes:
    """The template's XLSX with some of its parts replaced (or, given None, removed)."""
    template = zipfile.ZipFile(io.BytesIO(importing.template_xlsx(agreement)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in template.infolist():
            data = replace.get(info.filename, template.read(info.filename))
            if data is None:
                continue
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(part, data)
        for name, data in replace.items():
            if name not in template.namelist() and data is not None:
                archive.writestr(name, data)
    return out.getvalue()


def refusal(agreement, name: str, content: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        importing.parse(agreement, name, content)
    return [str(problem) for problem in rejected.value.problems]


@pytest.fixture
def reads(monkeypatch):
    """Counts what openpyxl is asked for and what it parses from a worksheet."""
    seen = {"iter_rows": [], "rows_parsed": 0, "cells_parsed": 0, "rows_yielded": 0}
    iter_rows, parse_row, parse_cell = (
        ReadOnlyWorksheet.iter_rows,
        WorkSheetParser.parse_row,
        WorkSheetParser.parse_cell,
    )

    def counting_iter_rows(self, *args, **kwargs):
        seen["iter_rows"].append(kwargs)
        for values in iter_rows(self, *args, **kwargs):
            seen["rows_yielded"] += 1
            # The 2008-11 round's template has 13 columns and the optional statement.
            assert len(values) <= 14
            yield values

    def counting_parse_row(self, row):
        seen["rows_parsed"] += 1
        return parse_row(self, row)

    def counting_parse_cell(self, element):
        seen["cells_parsed"] += 1
        return parse_cell(self, element)

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counting_iter_rows)
    monkeypatch.setattr(WorkSheetParser, "parse_row", counting_parse_row)
    monkeypatch.setattr(WorkSheetParser, "parse_cell", counting_parse_cell)
    return seen


# --- Each column checked, on whichever database the suite runs -------------------------

COLUMN_PROBLEMS = [
    ("baseline year", "x" * 21, "must be 20 characters or fewer"),
    ("units", "x" * 101, "must be 100 characters or fewer"),
    ("units", "per\x00cent", "contains a hidden null character; type the text again"),
    ("baseline year", "2007\x00", "contains a hidden null character; type the text again"),
    ("caveats", "Waits\x00 for data", "contains a hidden null character; type the text again"),
    ("indicator code", "NI\x001", "contains a hidden null character; type the text again"),
    ("baseline value", "lots", "must be a number, like 750 or 12.5"),
    ("baseline value", "NaN", "must be a number, like 750 or 12.5"),
    ("baseline value", "-Infinity", "must be a number, like 750 or 12.5"),
    ("baseline value", "1.23456", "must not have more than 4 decimal places"),
    ("baseline value", "10000000000", "must have no more than 10 digits before the decimal point"),
    ("baseline value", "1e10", "must have no more than 10 digits before the decimal point"),
    ("target 2009/10", "-12345678901", "must have no more than 10 digits before the decimal point"),
    ("target 2010/11", "0.00001", "must not have more than 4 decimal places"),
    ("target 2008/09", "six", "must be a number, like 750 or 12.5"),
    ("baseline due on", "31/03/2009", DATE_FORMS),
    ("baseline due on", "2009-02-30", DATE_FORMS),
    ("stretch", "maybe", "must be yes or no"),
    ("deferred", "perhaps", "must be yes or no"),
]


@pytest.mark.parametrize(("column", "value", "message"), COLUMN_PROBLEMS)
def test_a_bad_value_is_a_problem_of_its_row_and_column_and_saves_nothing(
    signed_in, agreement, column, value, message
):
    before = agreement.targets.count()
    rows = [good_row("NI 1"), good_row("NI 2", **{column: value})]
    upload = SimpleUploadedFile("targets.csv", csv_bytes(agreement, rows))
    response = signed_in.post(URL, {"file": upload})
    assert response.status_code == 400
    problems = [str(problem) for problem in response.context["problems"]]
    assert problems == [f"Row 3, {column}: {message}"]
    assert agreement.targets.count() == before


def test_values_at_each_columns_limit_are_saved(signed_in, agreement):
    rows = [
        good_row(
            "NI 1",
            **{
                "baseline year": "y" * 20,
                "units": "u" * 100,
                "baseline value": "-9999999999.9999",
                "target 2008/09": "9,999,999,999.9999",
                "target 2009/10": "1.50000",  # trailing zeros are not decimal places
                "target 2010/11": "0.0001",
                "baseline due on": "2009-03-31",
                "caveats": "c" * 5000,
            },
        )
    ]
    upload = SimpleUploadedFile("targets.csv", csv_bytes(agreement, rows))
    assert signed_in.post(URL, {"file": upload}).status_code == 302
    target = agreement.targets.get(indicator__code="NI 1")
    assert (target.baseline_year, target.units) == ("y" * 20, "u" * 100)
    assert target.baseline_value == Decimal("-9999999999.9999")
    assert target.baseline_due_on == dt.date(2009, 3, 31)
    assert [Decimal(v) for v in target.yearly_values] == [
        Decimal("9999999999.9999"),
        Decimal("1.5"),
        Decimal("0.0001"),
    ]


def test_an_xlsx_too_long_value_and_a_date_cell_are_checked_like_csv(signed_in, agreement):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns(agreement))
    row = [None] * 13
    row[0], row[3], row[4], row[8] = "NI 8", "2007/08 to 2008/09 ....", dt.datetime(2009, 3, 31), 7
    sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    response = signed_in.post(URL, {"file": SimpleUploadedFile("t.xlsx", data.getvalue())})
    problems = [str(problem) for problem in response.context["problems"]]
    assert problems == ["Row 2, baseline year: must be 20 characters or fewer"]


def test_long_text_is_not_repeated_back_whole(agreement):
    rows = [good_row("NI 1", **{"lead partner": "L" * 5000, "outcome": "O" * 5000})]
    problems = refusal(agreement, "t.csv", csv_bytes(agreement, rows))
    assert all(len(problem) < 200 for problem in problems), problems


def test_row_numbers_count_blank_rows_above(agreement):
    rows = [good_row("NI 1"), ["", "", ""], good_row("NI 2", units="u" * 101)]
    problems = refusal(agreement, "t.csv", csv_bytes(agreement, rows))
    assert problems == ["Row 4, units: must be 100 characters or fewer"]


def test_a_problem_reads_as_row_and_column():
    assert str(ImportProblem(3, "units", "must be 100 characters or fewer")) == (
        "Row 3, units: must be 100 characters or fewer"
    )
    assert str(ImportProblem(None, "file", "The file is empty")) == "File: The file is empty"


# --- CSV files, bounded ------------------------------------------------------------------


def test_a_csv_with_more_rows_than_the_limit_is_refused_after_reading_one_more(
    agreement, monkeypatch
):
    codes = free_designated_codes(agreement, 3)
    content = csv_bytes(agreement, [good_row(codes[n % 3]) for n in range(50_000)])
    pulled = []
    reader = importing.csv.reader

    def counting(*args, **kwargs):
        for row in reader(*args, **kwargs):
            pulled.append(row)
            yield row

    monkeypatch.setattr(importing.csv, "reader", counting)
    assert refusal(agreement, "t.csv", content)[0].startswith(f"File: {TOO_MANY_ROWS}")
    assert len(pulled) == READ_ROWS + 1


def test_blank_lines_after_the_targets_of_a_csv_are_passed_over(agreement):
    """Spreadsheets save formatted empty rows as ",,,," lines: they are not targets."""
    codes = free_designated_codes(agreement, 1)
    blank = [""] * len(importing.columns(agreement))
    content = csv_bytes(agreement, [good_row(codes[0]), *[blank] * (READ_ROWS + 50)])
    rows = importing.read_rows("t.csv", content, len(blank))
    assert len(rows) == READ_ROWS
    # A line with anything in it below the limit is still refused.
    late = csv_bytes(agreement, [good_row(codes[0]), *[blank] * READ_ROWS, good_row(codes[0])])
    assert refusal(agreement, "t.csv", late)[0].startswith(f"File: {TOO_MANY_ROWS}")


def test_a_csv_with_the_most_targets_is_read_whole(agreement):
    codes = free_designated_codes(agreement, 3)
    rows = [good_row(codes[n % 3]) for n in range(MAX_ROWS)]
    assert len(importing.read_rows("t.csv", csv_bytes(agreement, rows), 13)) == READ_ROWS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"indicator code,\xff\xfe\n", "The CSV file must be saved as UTF-8 text"),
        (b'indicator code,"' + b"x" * 200_000 + b'"\n', "The CSV file cannot be read"),
        (b"x" * (importing.MAX_BYTES + 1), "The file must be smaller than 2 MB"),
        (b"\x00\x00\x00\n\x00,\x00\n", "This column is missing; use the template"),
    ],
)
def test_an_unreadable_csv_is_refused_in_plain_words(agreement, content, message):
    problems = refusal(agreement, "t.csv", content)
    assert message in problems[0]
    assert "field limit" not in " ".join(problems)  # never the exception's own words


# --- XLSX files, bounded -----------------------------------------------------------------


def test_a_sheet_declaring_a_whole_sheet_of_rows_and_columns_is_read_to_the_limit_only(
    agreement, reads
):
    empty_rows = "".join(f'<row r="{n}" spans="1:16384"/>' for n in range(2, 5002))
    content = workbook_bytes(
        agreement, {SHEET: sheet_xml(header_row(agreement) + empty_rows, "A1:XFD5001")}
    )
    assert refusal(agreement, "t.xlsx", content)[0].startswith(f"File: {TOO_MANY_ROWS}")
    assert reads["iter_rows"] == [
        {"min_row": 1, "max_row": READ_ROWS + 1, "max_col": 14, "values_only": True}
    ]
    assert reads["rows_yielded"] == READ_ROWS + 1
    assert reads["rows_parsed"] <= READ_ROWS + 1


def test_a_row_far_below_is_refused_without_reading_the_rows_between(agreement, reads):
    rows = header_row(agreement) + f'<row r="1048576">{inline("A1048576", "NI 1")}</row>'
    content = workbook_bytes(agreement, {SHEET: sheet_xml(rows, "A1:XFD1048576")})
    assert refusal(agreement, "t.xlsx", content)[0].startswith(f"File: {TOO_MANY_ROWS}")
    assert reads["rows_parsed"] == 2
    assert reads["rows_yielded"] == READ_ROWS + 1


def test_cells_far_to_the_right_are_not_read(signed_in, agreement, reads):
    code = free_designated_codes(agreement, 1)[0]
    row = "".join(
        inline(f"{chr(ord('A') + n)}2", value) for n, value in enumerate(good_row(code)) if value
    )
    far = inline("XFD2", "not a column of the template") + '<c r="XFC2"><v>1e400</v></c>'
    content = workbook_bytes(
        agreement,
        {SHEET: sheet_xml(header_row(agreement) + f'<row r="2">{row}{far}</row>', "A1:XFD2")},
    )
    response = signed_in.post(URL, {"file": SimpleUploadedFile("t.xlsx", content)})
    assert response.status_code == 302
    assert agreement.targets.filter(indicator__code=code).exists()
    assert reads["rows_yielded"] == 2


def test_a_row_with_more_cells_than_the_budget_is_refused_before_openpyxl_parses_it(
    agreement, reads
):
    wide = '<row r="2">' + "<c/>" * (MAX_XML_ELEMENTS + 1) + "</row>"
    content = workbook_bytes(agreement, {SHEET: sheet_xml(header_row(agreement) + wide)})
    assert len(content) < 100_000
    assert refusal(agreement, "t.xlsx", content)[0].startswith(f"File: {TOO_BIG}")
    assert reads["cells_parsed"] == 0 and reads["rows_parsed"] == 0


def test_the_row_openpyxl_stops_at_is_counted_whole(agreement, reads):
    """openpyxl parses the whole of the first row past the limit before it stops."""
    rows = header_row(agreement) + f'<row r="{READ_ROWS + 2}">' + "<c/>" * MAX_XML_ELEMENTS
    content = workbook_bytes(agreement, {SHEET: sheet_xml(rows + "</row>")})
    assert refusal(agreement, "t.xlsx", content)[0].startswith(f"File: {TOO_BIG}")
    assert reads["cells_parsed"] == 0


def test_a_workbook_of_many_shared_strings_is_refused_before_openpyxl_opens_it(
    agreement, monkeypatch
):
    strings = "<si><t>x</t></si>" * MAX_XML_ELEMENTS
    content = workbook_bytes(
        agreement,
        {"xl/sharedStrings.xml": f'<sst xmlns="{NS}">{strings}</sst>'.encode()},
    )
    opened = []
    monkeypatch.setattr(importing, "load_workbook", lambda *a, **k: opened.append(a))
    assert refusal(agreement, "t.xlsx", content)[0].startswith(f"File: {TOO_BIG}")
    assert opened == []


def test_a_zip_bomb_is_refused_from_its_declared_sizes_without_unpacking(agreement, monkeypatch):
    padding = " " * (MAX_UNPACKED_BYTES + 1)
    content = workbook_bytes(
        agreement, {SHEET: sheet_xml(header_row(agreement) + padding + "<row/>")}
    )
    assert len(content) < 100_000
    scanned = []
    monkeypatch.setattr(importing, "_scan_xml", lambda *args: scanned.append(args))
    assert refusal(agreement, "t.xlsx", content) == [
        "File: The workbook holds too much to check. Copy the targets into the template and "
        "upload that instead"
    ]
    assert scanned == []


def patched_directory_entry(content: bytes, name: str, offset: int, value: bytes) -> bytes:
    """The archive with bytes of one part's central directory entry replaced."""
    patched = bytearray(content)
    entry = content.rfind(name.encode()) - 46  # the directory names each part last
    assert patched[entry : entry + 4] == b"PK\x01\x02"
    patched[entry + offset : entry + offset + len(value)] = value
    return bytes(patched)


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(agreement):
    """zipfile stops at the declared size; the checksum then fails."""
    content = workbook_bytes(agreement, {})
    size = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).file_size
    understated = patched_directory_entry(content, SHEET, 24, (size // 2).to_bytes(4, "little"))
    assert NOT_READABLE in refusal(agreement, "t.xlsx", understated)[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", NOT_READABLE),
        (b"\x00" * 1000, NOT_READABLE),
        (
            bytes.fromhex("d0cf11e0a1b11ae1") + "EncryptedPackage".encode("utf-16-le"),
            "The workbook is protected with a password",
        ),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 500, "an old-style Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_clearly(agreement, content, message):
    assert message in refusal(agreement, "t.xlsx", content)[0]


def test_a_cut_short_workbook_is_refused(agreement):
    content = workbook_bytes(agreement, {})
    assert NOT_READABLE in refusal(agreement, "t.xlsx", content[: len(content) // 2])[0]


def test_a_zip_with_encrypted_parts_is_refused(agreement):
    content = workbook_bytes(agreement, {})
    flags = zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).flag_bits | 0x1
    content = patched_directory_entry(content, SHEET, 8, flags.to_bytes(2, "little"))
    assert "protected with a password" in refusal(agreement, "t.xlsx", content)[0]


def test_a_workbook_with_no_sheets_is_refused(agreement):
    template = zipfile.ZipFile(io.BytesIO(importing.template_xlsx(agreement)))
    workbook_xml = template.read("xl/workbook.xml").decode()
    start, end = workbook_xml.index("<sheets>"), workbook_xml.index("</sheets>")
    no_sheets = workbook_xml[:start] + "<sheets/>" + workbook_xml[end + len("</sheets>") :]
    content = workbook_bytes(agreement, {"xl/workbook.xml": no_sheets.encode(), SHEET: None})
    assert refusal(agreement, "t.xlsx", content) == [
        "File: The workbook has no sheets. Put the targets on its first sheet"
    ]


def test_a_part_with_a_doctype_is_refused(agreement):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        f'<sst xmlns="{NS}"><si><t>&lol;</t></si></sst>'
    )
    content = workbook_bytes(agreement, {"xl/sharedStrings.xml": bomb.encode()})
    assert NOT_READABLE in refusal(agreement, "t.xlsx", content)[0]


def test_a_cell_openpyxl_cannot_convert_is_refused_not_a_server_error(signed_in, agreement):
    rows = header_row(agreement) + f'<row r="2"><c r="C2"><v>{"9" * 5000}</v></c></row>'
    content = workbook_bytes(agreement, {SHEET: sheet_xml(rows)})
    response = signed_in.post(URL, {"file": SimpleUploadedFile("t.xlsx", content)})
    assert response.status_code == 400
    assert NOT_READABLE in response.content.decode()


def test_a_crafted_workbook_through_the_page_is_refused_with_a_400(signed_in, agreement):
    empty_rows = "".join(f'<row r="{n}"/>' for n in range(2, 5002))
    content = workbook_bytes(
        agreement, {SHEET: sheet_xml(header_row(agreement) + empty_rows, "A1:XFD5001")}
    )
    before = agreement.targets.count()
    response = signed_in.post(URL, {"file": SimpleUploadedFile("t.xlsx", content)})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert agreement.targets.count() == before


# --- Baseline-by dates and targets in words ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "stored", "precision"),
    [
        ("2009", dt.date(2009, 1, 1), "year"),
        ("2009-03", dt.date(2009, 3, 1), "month"),
        ("2009-03-31", dt.date(2009, 3, 31), "day"),
    ],
)
def test_a_baseline_by_date_may_be_a_year_a_month_or_a_day(agreement, text, stored, precision):
    code = free_designated_codes(agreement, 1)[0]
    (fields,) = importing.parse(
        agreement, "t.csv", csv_bytes(agreement, [good_row(code, **{"baseline due on": text})])
    )
    assert (fields.baseline_due_on, fields.baseline_due_precision) == (stored, precision)


def test_a_baseline_by_date_that_is_none_of_them_is_a_problem(agreement):
    code = free_designated_codes(agreement, 1)[0]
    problems = refusal(
        agreement, "t.csv", csv_bytes(agreement, [good_row(code, **{"baseline due on": "2009-3"})])
    )
    assert problems == [
        "Row 2, baseline due on: must be a date as YYYY-MM-DD (2009-03-31), a month as "
        "YYYY-MM (2009-03) or a year (2009)"
    ]


def test_a_statement_column_imports_a_target_in_words(signed_in, agreement):
    code = free_designated_codes(agreement, 1)[0]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*columns(agreement), "statement"])
    writer.writerow([*good_row(code, **{"baseline due on": "2009-03"}), "A measurable rise"])
    response = signed_in.post(URL, {"file": SimpleUploadedFile("t.csv", out.getvalue().encode())})
    assert response.status_code == 302
    target = agreement.targets.get(indicator__code=code)
    assert (target.is_qualitative, target.statement) == (True, "A measurable rise")
    assert target.baseline_due_precision == "month"
    assert "statement" in importing.template_csv(agreement).splitlines()[0]
