"""Time and peak memory of the designated-targets import refusing crafted files.

Run as `python -m tests.bench.imports`. It needs no database: the files are refused (or,
for the comparison rows, read) before the import looks anything up. Each file is read
REPEATS times for the time (the best is printed) and once more under tracemalloc for the
peak of memory allocated while reading it.

The target: every crafted file refused within a second, in bounded memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import time
import tracemalloc
import zipfile

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laa_portal.settings")
os.environ.setdefault("DEBUG", "1")
django.setup()

from openpyxl import Workbook  # noqa: E402

from agreements import importing  # noqa: E402

REPEATS = 3
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
COLUMNS = [
    "indicator code",
    "outcome",
    "baseline value",
    "baseline year",
    "baseline due on",
    "target 2008/09",
    "target 2009/10",
    "target 2010/11",
    "units",
    "stretch",
    "deferred",
    "caveats",
    "lead partner",
]


def template() -> bytes:
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet(sheet: str, shared_strings: str | None = None) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(template()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in base.namelist():
            data = base.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            archive.writestr(name, data)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def sheet(rows: str, dimension: str = "A1:XFD5001") -> str:
    header = "".join(
        f'<c r="{chr(65 + n)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for n, name in enumerate(COLUMNS)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        f'<dimension ref="{dimension}"/><sheetData><row r="1">{header}</row>{rows}'
        "</sheetData></worksheet>"
    )


def empty_rows_declared_whole_width() -> bytes:
    """A1:XFD5001 declared, 5,000 empty rows each spanning every column."""
    return with_sheet(sheet("".join(f'<row r="{n}" spans="1:16384"/>' for n in range(2, 5002))))


def filled_rows_declared_whole_width(rows: int = 3_420) -> bytes:
    """A1:XFD5001 declared, rows of 40 numbers far to the right: about 1.7 MB."""
    chance = random.Random(1)
    return with_sheet(
        sheet(
            "".join(
                f'<row r="{n}" spans="1:16384">'
                + "".join(f'<c r="XF{n}{k}"><v>{chance.random()}</v></c>' for k in range(40))
                + "</row>"
                for n in range(2, rows + 2)
            )
        )
    )


def zip_bomb(unpacked: int = 200 * 2**20) -> bytes:
    """A1:XFD5001 declared, the same row repeated until the sheet unpacks to `unpacked`
    bytes (the file is about a thousandth of that)."""
    base = zipfile.ZipFile(io.BytesIO(template()))
    row = "<row>" + "<c><v>1</v></c>" * 100 + "</row>"
    block = (row * (2**20 // len(row))).encode()
    head, tail = sheet("").split("</sheetData>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in base.namelist():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, base.read(name))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(head.encode())
            for _ in range(unpacked // len(block)):
                part.write(block)
            part.write(("</sheetData>" + tail).encode())
    return out.getvalue()


def one_wide_row() -> bytes:
    return with_sheet(sheet('<row r="2">' + "<c/>" * (importing.MAX_XML_ELEMENTS + 1) + "</row>"))


def just_inside_the_budget() -> bytes:
    """The most cells openpyxl is ever let parse: the element budget, less the other parts',
    spread over the rows it reads, far to the right."""
    cells = (importing.MAX_XML_ELEMENTS - 2_000) // importing.READ_ROWS
    return with_sheet(
        sheet(
            "".join(
                f'<row r="{n}">' + f'<c r="XFD{n}"/>' * cells + "</row>"
                for n in range(2, importing.READ_ROWS + 1)
            )
        )
    )


def many_shared_strings() -> bytes:
    strings = "".join(f"<si><t>{n}</t></si>" for n in range(importing.MAX_XML_ELEMENTS))
    return with_sheet(sheet(""), f'<sst xmlns="{NS}">{strings}</sst>')


def most_targets_xlsx() -> bytes:
    """For comparison: a good file of MAX_ROWS targets, read whole."""
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    for n in range(importing.MAX_ROWS):
        workbook.active.append(
            [f"NI {n + 1}", "", 750, "2007/08", "", 1, 2, 3, "%", "no", "no", "x" * 200, ""]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def long_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    while out.tell() < importing.MAX_BYTES - 100:
        writer.writerow(["NI 1", "", "5", "2007/08", "", "6", "7", "8", "", "no", "no", "", ""])
    return out.getvalue().encode()


def measure(name: str, content: bytes) -> tuple[float, int, str]:
    outcome = ""
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        try:
            rows = importing.read_rows(name, content, len(COLUMNS))
            outcome = f"read {len(rows)} rows"
        except importing.ImportRejected as rejected:
            outcome = "refused: " + rejected.problems[0].message[:48]
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    with contextlib.suppress(importing.ImportRejected):
        importing.read_rows(name, content, len(COLUMNS))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return best, peak, outcome


def main() -> None:
    files = [
        ("A1:XFD5001, 5,000 empty rows", "t.xlsx", empty_rows_declared_whole_width()),
        (
            "A1:XFD5001, 3,420 rows of numbers far right",
            "t.xlsx",
            filled_rows_declared_whole_width(),
        ),
        ("A1:XFD5001, zip bomb unpacking to 200 MB", "t.xlsx", zip_bomb()),
        ("one row of 50,001 cells", "t.xlsx", one_wide_row()),
        ("200 rows of 238 cells: just inside budget", "t.xlsx", just_inside_the_budget()),
        ("50,000 shared strings", "t.xlsx", many_shared_strings()),
        ("CSV of 2 MB, 30,000 rows", "t.csv", long_csv()),
        (f"good XLSX of {importing.MAX_ROWS} targets", "t.xlsx", most_targets_xlsx()),
    ]
    print(f"{'file':44} {'size':>10} {'time':>10} {'peak memory':>12}  outcome")
    for label, name, content in files:
        seconds, peak, outcome = measure(name, content)
        print(
            f"{label:44} {len(content) / 1024:8.1f}KB {seconds * 1000:8.1f}ms "
            f"{peak / 2**20:10.1f}MB  {outcome}"
        )


if __name__ == "__main__":
    main()
