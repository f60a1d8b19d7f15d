"""The figures of statutory education targets, from a CSV or XLSX file the national team
loads once DCSF has agreed them with each area.

One row a target: the area (its name, its short name in web addresses or its ONS code),
the indicator's code, the baseline and one value per year of the round. The file is read
with the same bounds as a targets import, and checked whole: a file with any problem saves
nothing.
"""

from __future__ import annotations

from agreements.importing import (
    ImportProblem,
    ImportRejected,
    _decimal,
    _echo,
    read_table,
    row_cells,
)
from agreements.models import Target
from agreements.services import StatutoryFigures
from indicators.models import Round


def columns(round_: Round) -> list[str]:
    return ["area", "indicator code", "baseline", *round_.years]


def _code(text: str) -> str:
    return " ".join(text.upper().replace("NI", "NI ").split())


def parse(round_: Round, name: str, content: bytes) -> list[StatutoryFigures]:
    """Every row as the figures of one statutory target, or ImportRejected with all the
    problems found."""
    position, body = read_table(
        name,
        content,
        required=columns(round_),
        no_rows_message="The file has no targets under the header",
        missing_message="This column is missing",
        # A year's column may also be headed "target 2008/09", as in the targets template.
        heading_prefix="target ",
    )

    targets = Target.objects.filter(
        kind=Target.Kind.STATUTORY, agreement__round=round_
    ).select_related("agreement__area", "indicator")
    by_area_and_code: dict[tuple[int, str], Target] = {}
    areas = {}
    for target in targets:
        area = target.agreement.area
        by_area_and_code[(area.pk, target.indicator.code.upper())] = target
        for key in (area.name, area.slug, area.ons_code):
            if key:
                areas[key.strip().lower()] = area
    codes = {code for _, code in by_area_and_code}

    problems: list[ImportProblem] = []
    results: list[StatutoryFigures] = []
    seen: dict[int, int] = {}
    for number, row in body:

        def problem(column: str, message: str, number=number) -> None:
            problems.append(ImportProblem(number, column, message))

        cells = row_cells(row, position, problem)
        area = None
        if cells["area"] == "":
            problem("area", "Enter the area's name or ONS code")
        elif cells["area"] is not None:
            area = areas.get(cells["area"].lower())
            if area is None:
                problem(
                    "area",
                    f"{_echo(cells['area'])} is not an area with a {round_} agreement",
                )
        code = _code(cells["indicator code"] or "")
        if cells["indicator code"] is None:
            code = ""
        elif not code:
            problem("indicator code", "Enter an indicator code, for example NI 72")
        elif code not in codes:
            problem(
                "indicator code",
                f"{_echo(cells['indicator code'])} is not a statutory education target of {round_}",
            )
        baseline = _decimal(cells, "baseline", problem)
        values = tuple(_decimal(cells, year, problem) for year in round_.years)
        if all(cells[column] == "" for column in ["baseline", *round_.years]):
            problem("baseline", "Enter the baseline or at least one year's value")
        target = by_area_and_code.get((area.pk, code)) if area and code in codes else None
        if area is not None and code in codes and target is None:
            problem("indicator code", f"{area}'s agreement has no {code} target")
        if target is not None:
            if target.pk in seen:
                problem("indicator code", f"{area}'s {code} is also on row {seen[target.pk]}")
            else:
                seen[target.pk] = number
                results.append(
                    StatutoryFigures(target=target, baseline_value=baseline, yearly_values=values)
                )
    if problems:
        raise ImportRejected(problems)
    return results
