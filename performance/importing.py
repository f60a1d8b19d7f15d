"""A year's outturns from a CSV or XLSX file, all or nothing, as targets are imported.

The file is read with the targets import's bounds (size, rows, workbook checks) and its
problems are reported the same way: every problem with its row and column, and a file with
any problem saves nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from agreements.importing import (
    ECHO_LENGTH,
    ImportProblem,
    ImportRejected,
    read_table,
    row_cells,
)
from agreements.models import Agreement, Target
from performance.models import AnnualReview, Outturn
from performance.selectors import TargetTrack
from performance.services import OutturnFields

REQUIRED = ["target", "value", "date", "source"]
OPTIONAL = ["note"]
COLUMNS = [*REQUIRED, *OPTIONAL]
NO_OUTTURNS = "The file has no outturns under the header"
SOURCE_LENGTH = Outturn._meta.get_field("source").max_length
NOTE_LENGTH = 2000
VALUE_FIELD = Outturn._meta.get_field("value")


def _refuse(message: str) -> ImportRejected:
    return ImportRejected([ImportProblem(None, "file", message)])


def _echo(text: str) -> str:
    """A person's own text, short enough to repeat in a message."""
    return text if len(text) <= ECHO_LENGTH else text[: ECHO_LENGTH - 1] + "…"


def _value(text: str, problem: Callable) -> Decimal | None:
    text = text.replace(",", "")
    if not text:
        problem("value", "Enter the outturn, like 705 or 12.5")
        return None
    places = VALUE_FIELD.decimal_places
    whole_digits = VALUE_FIELD.max_digits - places
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problem("value", "must be a number, like 705 or 12.5")
        return None
    if value != 0 and value.normalize().as_tuple().exponent < -places:
        problem("value", f"must not have more than {places} decimal places")
        return None
    if abs(value) >= Decimal(10) ** whole_digits:
        problem("value", f"must have no more than {whole_digits} digits before the decimal point")
        return None
    return value


def _day(text: str, problem: Callable) -> dt.date | None:
    if not text:
        problem("date", "Enter the date of the figure as YYYY-MM-DD")
        return None
    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        problem("date", "must be a date as YYYY-MM-DD, for example 2009-06-30")
    elif day > timezone.localdate():
        problem("date", "must be today or in the past")
        day = None
    return day


def target_label(target: Target) -> str:
    """How a row names its target: an indicator's code, or a local target's title."""
    return target.indicator.code if target.indicator_id else target.local_title


def template_csv(rows: list[TargetTrack]) -> str:
    """The review's targets, one a row, with the columns to fill in."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    titles = [row.target.local_title.lower() for row in rows if not row.target.indicator_id]
    for row in rows:
        target = row.target
        label = target_label(target)
        if not target.indicator_id and titles.count(label.lower()) > 1:
            label = f"local:{target.pk}"  # two local targets share the title
        writer.writerow([label, row.value, "", row.outturn.source if row.outturn else "", ""])
    return out.getvalue()


def _targets_by_name(rows: list[TargetTrack]) -> tuple[dict[str, Target], set[str]]:
    names: dict[str, Target] = {}
    ambiguous: set[str] = set()
    for row in rows:
        target = row.target
        names[f"local:{target.pk}"] = target
        if target.indicator_id:
            names[target.indicator.code.upper()] = target
            continue
        title = " ".join(target.local_title.lower().split())
        if title in names:
            ambiguous.add(title)
        names[title] = target
    return names, ambiguous


def parse(
    agreement: Agreement, review: AnnualReview, rows: list[TargetTrack], name: str, content: bytes
) -> list[tuple[Target, OutturnFields]]:
    """Each filled row as a target and its outturn, or ImportRejected with every problem.
    A row that names a target and nothing else is passed over: the template lists every
    target, and not every figure is out yet."""
    position, lines = read_table(
        name,
        content,
        required=REQUIRED,
        optional=OPTIONAL,
        no_rows_message=NO_OUTTURNS,
    )
    targets, ambiguous = _targets_by_name(rows)
    problems: list[ImportProblem] = []
    results: list[tuple[Target, OutturnFields]] = []
    seen: dict[int, int] = {}

    for number, line in lines:

        def problem(column: str, message: str, number=number) -> None:
            problems.append(ImportProblem(number, column, message))

        cells = row_cells(line, position, problem)
        if not any(cells[column] for column in COLUMNS if column != "target"):
            continue  # a target with no figure yet

        named = cells["target"] or ""
        key = " ".join(named.split())
        code = " ".join(key.upper().replace("NI", "NI ").split())
        target = targets.get(code) or targets.get(key.lower())
        if cells["target"] is None:
            pass
        elif not key:
            problem("target", "Enter an indicator code, like NI 120, or a local target's title")
        elif key.lower() in ambiguous and target is not None and not target.indicator_id:
            problem("target", f"Two local targets are called ‘{_echo(key)}’; use the template")
            target = None
        elif target is None:
            problem("target", f"{_echo(key)} is not a target in this review")
        elif target.pk in seen:
            problem("target", f"{_echo(key)} is also on row {seen[target.pk]}")
        else:
            seen[target.pk] = number

        value = _value(cells["value"], problem) if cells["value"] is not None else None
        measured_on = _day(cells["date"], problem) if cells["date"] is not None else None
        source = cells["source"] or ""
        if cells["source"] == "":
            problem("source", "Say where the figure comes from, like APS 2008/09, ONS")
        elif len(source) > SOURCE_LENGTH:
            problem("source", f"must be {SOURCE_LENGTH} characters or fewer")
        note = cells["note"] or ""
        if len(note) > NOTE_LENGTH:
            problem("note", f"must be {NOTE_LENGTH} characters or fewer")
        if target is not None and value is not None and measured_on is not None and source:
            results.append(
                (
                    target,
                    OutturnFields(value=value, measured_on=measured_on, source=source, note=note),
                )
            )

    if not results and not problems:
        raise _refuse(NO_OUTTURNS)  # every row names a target and nothing else
    if problems:
        raise ImportRejected(problems)
    return results
