"""Designated targets from a CSV or XLSX file made from the downloadable template.

The whole file is checked before anything is saved; every problem is reported with its
row and column, and a file with any problem saves nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from agreements import selectors
from agreements.models import Agreement, Target
from agreements.services import TargetFields
from indicators.models import RoundIndicator

MAX_ROWS = 200
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # the spreadsheet row number (the header is row 1)
    column: str
    message: str


class ImportRejected(Exception):
    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file")


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


def template_csv(agreement: Agreement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns(agreement))
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
    ]
    writer.writerow(example)
    return out.getvalue()


def template_xlsx(agreement: Agreement) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Designated targets"
    sheet.append(columns(agreement))
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read_rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a damaged file
            raise ImportRejected(
                [ImportProblem(None, "file", "The file is not a readable XLSX workbook")]
            ) from exc
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in values])
        workbook.close()
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [ImportProblem(None, "file", "The CSV file must be saved as UTF-8 text")]
        ) from exc
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ImportRejected(
            [ImportProblem(None, "file", f"The CSV file cannot be read ({exc})")]
        ) from exc


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


def parse(agreement: Agreement, name: str, content: bytes) -> list[TargetFields]:
    """Every row as the fields of a new designated target, or ImportRejected with all the
    problems found."""
    rows = [row for row in _read_rows(name, content) if any(cell.strip() for cell in row)]
    expected = columns(agreement)
    if not rows:
        raise ImportRejected([ImportProblem(None, "file", "The file is empty")])
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in expected if column not in header]
    if missing:
        raise ImportRejected(
            [
                ImportProblem(1, column, "This column is missing; use the template")
                for column in missing
            ]
        )
    body = rows[1:]
    if not body:
        raise ImportRejected(
            [ImportProblem(None, "file", "The file has no targets under the header")]
        )
    if len(body) > MAX_ROWS:
        raise ImportRejected(
            [ImportProblem(None, "file", f"The file has {len(body)} rows; the most is {MAX_ROWS}")]
        )

    position = {column: header.index(column) for column in expected}
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
    problems: list[ImportProblem] = []
    results: list[TargetFields] = []
    seen: dict[str, int] = {}

    for offset, row in enumerate(body):
        number = offset + 2
        cells = {
            column: (row[index].strip() if index < len(row) else "")
            for column, index in position.items()
        }

        def problem(column: str, message: str, number=number) -> None:
            problems.append(ImportProblem(number, column, message))

        code = " ".join(cells["indicator code"].upper().replace("NI", "NI ").split())
        entry = catalogue.get(code)
        if not code:
            problem("indicator code", "Enter an indicator code, for example NI 120")
        elif entry is None:
            problem(
                "indicator code",
                f"{cells['indicator code']} is not in the {agreement.round} indicator set",
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

        def decimal(column: str, cells=cells) -> Decimal | None:
            text = cells[column].replace(",", "")
            if not text:
                return None
            try:
                value = Decimal(text)
            except InvalidOperation:
                problem(column, f"{cells[column]!r} is not a number")
                return None
            if value.is_finite() and value.as_tuple().exponent < -4:
                problem(column, f"{cells[column]!r} has more than 4 decimal places")
                return None
            if not value.is_finite() or abs(value) >= Decimal("1e10"):
                problem(column, f"{cells[column]!r} is not a usable number")
                return None
            return value

        def flag(column: str, cells=cells) -> bool:
            text = cells[column].lower()
            if text in YES:
                return True
            if text not in NO:
                problem(column, "Enter yes or no")
            return False

        baseline_value = decimal("baseline value")
        due_on = None
        if cells["baseline due on"]:
            try:
                due_on = dt.date.fromisoformat(cells["baseline due on"])
            except ValueError:
                problem("baseline due on", "Enter a date as YYYY-MM-DD, for example 2009-03-31")
        values = tuple(decimal(f"target {year}") for year in agreement.round.years)
        stretch, deferred = flag("stretch"), flag("deferred")
        if deferred and not cells["caveats"]:
            problem("caveats", "Give a caveat for a deferred target")
        lead = None
        if cells["lead partner"]:
            lead = partners.get(cells["lead partner"].lower())
            if lead is None:
                problem(
                    "lead partner", f"{cells['lead partner']} is not a partner in {agreement.area}"
                )
        outcome = None
        if cells["outcome"]:
            outcome = outcomes.get(cells["outcome"].lower())
            if outcome is None:
                problem(
                    "outcome", f"There is no outcome called {cells['outcome']!r} in this agreement"
                )
        if entry is not None:
            results.append(
                TargetFields(
                    indicator=entry.indicator,
                    outcome=outcome,
                    units=cells["units"],
                    baseline_value=baseline_value,
                    baseline_year=cells["baseline year"],
                    baseline_due_on=due_on,
                    yearly_values=values,
                    is_stretch=stretch,
                    is_deferred=deferred,
                    caveats=cells["caveats"],
                    lead_partner=lead,
                )
            )

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
