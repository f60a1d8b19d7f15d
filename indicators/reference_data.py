"""Loading the reference data shipped in `indicators/refdata/`.

Every file is parsed and checked before anything is written, so a malformed file loads
nothing. Rows are matched on their natural keys (indicator code, area name, department
abbreviation, round slug), so a second load changes nothing and a changed row is updated.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from accounts.models import Area, Organisation
from indicators.models import (
    Indicator,
    Milestone,
    Round,
    RoundIndicator,
    StatisticalNeighbour,
    Theme,
)

REFDATA_DIR = Path(__file__).resolve().parent / "refdata"
NATIONAL_TEAM_NAME = "National LAA team"


class ReferenceDataError(Exception):
    def __init__(self, path: Path, line: int | None, reason: str):
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {reason}")


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    def count(self, label: str, outcome: str) -> None:
        getattr(self, outcome)[label] += 1

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        labels = sorted(
            set(self.created) | set(self.updated) | set(self.unchanged) | set(self.kept)
        )
        lines = []
        for label in labels:
            line = (
                f"{label}: {self.created[label]} created, {self.updated[label]} updated, "
                f"{self.unchanged[label]} unchanged"
            )
            if self.kept[label]:
                line += f", {self.kept[label]} kept as corrected in the portal"
            lines.append(line)
        return lines


# --- Parsing ------------------------------------------------------------------------------


def _read_csv(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    if not path.exists():
        raise ReferenceDataError(path, None, "file not found")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
            rows = []
            for row in reader:
                line = reader.line_num
                if None in row or any(value is None for value in row.values()):
                    raise ReferenceDataError(path, line, "wrong number of fields")
                rows.append((line, {key: value.strip() for key, value in row.items()}))
            return rows
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path, None, f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise ReferenceDataError(path, None, f"not valid CSV ({exc})") from exc


def _required(path: Path, line: int, row: dict[str, str], name: str) -> str:
    value = row[name]
    if not value:
        raise ReferenceDataError(path, line, f"{name} is empty")
    return value


PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _partial_date(path: Path, line: int, value: str, name: str) -> str:
    """A date as precise as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value and not PARTIAL_DATE.match(value):
        raise ReferenceDataError(
            path, line, f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ReferenceDataError(path, line, f"{name} {value!r} is not a real date") from exc
    return value


def _unique(path: Path, seen: dict[str, int], key: str, line: int, what: str) -> None:
    if key in seen:
        raise ReferenceDataError(
            path, line, f"duplicate {what} {key!r} (first on line {seen[key]})"
        )
    seen[key] = line


@dataclass
class Parsed:
    departments: list[dict]
    government_offices: list[str]
    areas: list[dict]
    indicators: list[dict]
    statutory: dict[str, str]
    rounds: list[dict]
    # Each area's statistical neighbours, in order, with the list's source.
    neighbours: dict[str, tuple[list[str], str]] = field(default_factory=dict)


CODE_PATTERN = re.compile(r"^NI (\d{1,3})$")


def parse(directory: Path = REFDATA_DIR) -> Parsed:
    departments = []
    path = directory / "departments.csv"
    seen: dict[str, int] = {}
    for line, row in _read_csv(path, ["abbreviation", "full_name", "active_from", "active_to"]):
        abbreviation = _required(path, line, row, "abbreviation")
        _unique(path, seen, abbreviation, line, "department")
        departments.append(
            {
                "abbreviation": abbreviation,
                "name": _required(path, line, row, "full_name"),
                "active_from": _partial_date(path, line, row["active_from"], "active_from"),
                "active_to": _partial_date(path, line, row["active_to"], "active_to"),
                "description": row.get("role_in_laa", ""),
                "source": row.get("source", ""),
            }
        )
    department_keys = set(seen)

    areas = []
    path = directory / "laa_areas_extended.csv"
    seen = {}
    tiers = set(Area.Tier.values)
    for line, row in _read_csv(path, ["name", "government_office_region", "tier"]):
        name = _required(path, line, row, "name")
        _unique(path, seen, name, line, "area")
        tier = _required(path, line, row, "tier")
        if tier not in tiers:
            raise ReferenceDataError(path, line, f"tier {tier!r} is not one of {sorted(tiers)}")
        government_office = _required(path, line, row, "government_office_region")
        if not government_office.startswith("GO "):
            raise ReferenceDataError(
                path, line, f"government_office_region {government_office!r} is not a GO"
            )
        areas.append(
            {
                "name": name,
                "tier": tier,
                "government_office": government_office,
                "ons_code": row.get("ons_gss_code_current_entity", ""),
                "notes": row.get("notes", ""),
            }
        )
    if len(areas) == 0:
        raise ReferenceDataError(path, None, "no areas")
    government_offices = sorted({area["government_office"] for area in areas})

    indicators = []
    path = directory / "national_indicators.csv"
    seen = {}
    numbers: dict[str, int] = {}
    for line, row in _read_csv(path, ["code", "number", "title", "theme", "lead_department"]):
        code = _required(path, line, row, "code")
        match = CODE_PATTERN.match(code)
        if not match:
            raise ReferenceDataError(path, line, f"code {code!r} is not of the form 'NI 123'")
        number = _required(path, line, row, "number")
        if number != match.group(1):
            raise ReferenceDataError(path, line, f"number {number!r} does not match code {code!r}")
        _unique(path, seen, code, line, "indicator")
        _unique(path, numbers, number, line, "indicator number")
        lead = _required(path, line, row, "lead_department")
        if lead not in department_keys:
            raise ReferenceDataError(
                path, line, f"lead_department {lead!r} is not in departments.csv"
            )
        notes = row.get("notes", "")
        indicators.append(
            {
                "code": code,
                "number": int(number),
                "title": _required(path, line, row, "title"),
                "theme": _required(path, line, row, "theme"),
                "lead_department": lead,
                "lead_department_confirmed": "lead unverified" not in notes.lower(),
                "source": row.get("source", ""),
                "notes": notes,
            }
        )
    indicator_codes = set(seen)

    path = directory / "indicator_polarity.csv"
    polarities: dict[str, str] = {}
    if path.exists():
        for line, row in _read_csv(path, ["code", "polarity"]):
            code = _required(path, line, row, "code")
            _unique(path, polarities, code, line, "indicator")
            if code not in indicator_codes:
                raise ReferenceDataError(
                    path, line, f"code {code!r} is not in national_indicators.csv"
                )
            if row["polarity"] not in ("", "higher", "lower"):
                raise ReferenceDataError(
                    path, line, f"polarity {row['polarity']!r} is not higher, lower or empty"
                )
            polarities[code] = row["polarity"]
    for indicator in indicators:
        indicator["polarity"] = polarities.get(indicator["code"], "")

    neighbours: dict[str, tuple[list[str], str]] = {}
    path = directory / "statistical_neighbours.csv"
    area_names = {area["name"] for area in areas}
    if path.exists():
        for line, row in _read_csv(path, ["area", "neighbours", "source"]):
            name = _required(path, line, row, "area")
            if name not in area_names:
                raise ReferenceDataError(path, line, f"area {name!r} is not an area")
            if name in neighbours:
                raise ReferenceDataError(path, line, f"area {name!r} is listed twice")
            listed = [part.strip() for part in row["neighbours"].split(";") if part.strip()]
            for neighbour in listed:
                if neighbour not in area_names or neighbour == name:
                    raise ReferenceDataError(
                        path, line, f"neighbour {neighbour!r} is not another area"
                    )
            if len(set(listed)) != len(listed):
                raise ReferenceDataError(path, line, "a neighbour is listed twice")
            neighbours[name] = (listed, _required(path, line, row, "source"))

    statutory = {}
    path = directory / "statutory_education_targets.csv"
    seen = {}
    for line, row in _read_csv(path, ["code", "title", "phase"]):
        code = _required(path, line, row, "code")
        _unique(path, seen, code, line, "statutory target")
        if code not in indicator_codes:
            raise ReferenceDataError(path, line, f"code {code!r} is not in national_indicators.csv")
        statutory[code] = row["phase"]

    rounds = _parse_rounds(directory / "rounds.toml")
    return Parsed(departments, government_offices, areas, indicators, statutory, rounds, neighbours)


ROUND_FIELDS = {"slug", "name", "structure", "first_year"}
CATALOGUES = {"national_indicator_set", "none"}


def _parse_rounds(path: Path) -> list[dict]:
    if not path.exists():
        raise ReferenceDataError(path, None, "file not found")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ReferenceDataError(path, line, f"not valid TOML ({exc})") from exc

    def line_of(slug: str) -> int | None:
        for number, content in enumerate(text.splitlines(), start=1):
            if re.match(rf'^\s*slug\s*=\s*"{re.escape(slug)}"', content):
                return number
        return None

    rounds = []
    seen: set[str] = set()
    for entry in data.get("round", []):
        missing = ROUND_FIELDS - set(entry)
        slug = str(entry.get("slug", "?"))
        if missing:
            raise ReferenceDataError(
                path, line_of(slug), f"round {slug!r} lacks {', '.join(sorted(missing))}"
            )
        if slug in seen:
            raise ReferenceDataError(path, line_of(slug), f"duplicate round {slug!r}")
        seen.add(slug)
        if entry["structure"] not in Round.Structure.values:
            raise ReferenceDataError(
                path, line_of(slug), f"structure {entry['structure']!r} must be themes or blocks"
            )
        catalogue = entry.get("catalogue", "none")
        if catalogue not in CATALOGUES:
            raise ReferenceDataError(
                path, line_of(slug), f"catalogue {catalogue!r} is not one of {sorted(CATALOGUES)}"
            )
        milestones = []
        for milestone in entry.get("milestone", []):
            due_on = milestone.get("due_on")
            if due_on is not None and not isinstance(due_on, dt.date):
                raise ReferenceDataError(
                    path, line_of(slug), f"milestone {milestone.get('name')!r} due_on is not a date"
                )
            if not milestone.get("name"):
                raise ReferenceDataError(path, line_of(slug), "a milestone has no name")
            met_when = milestone.get("met_when", "")
            if met_when and met_when not in Milestone.MetWhen.values:
                raise ReferenceDataError(
                    path, line_of(slug), f"milestone met_when {met_when!r} is not recognised"
                )
            milestones.append(
                {
                    "name": milestone["name"],
                    "due_on": due_on,
                    "met_when": met_when,
                    "description": milestone.get("description", ""),
                }
            )
        themes = entry.get("themes", [])
        if len(set(themes)) != len(themes):
            raise ReferenceDataError(path, line_of(slug), f"round {slug!r} repeats a theme")
        rounds.append(
            {
                "slug": slug,
                "name": entry["name"],
                "description": entry.get("description", ""),
                "structure": entry["structure"],
                "first_year": int(entry["first_year"]),
                "year_count": int(entry.get("year_count", 3)),
                "designated_target_cap": entry.get("designated_target_cap"),
                "statutory_targets_apply": bool(entry.get("statutory_targets_apply", False)),
                "statutory_note": entry.get("statutory_note", ""),
                "is_current": bool(entry.get("is_current", False)),
                "catalogue": catalogue,
                "themes": themes,
                "milestones": milestones,
            }
        )
    if not rounds:
        raise ReferenceDataError(path, None, "no rounds")
    return rounds


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


# --- Loading ------------------------------------------------------------------------------


def _upsert(report: LoadReport, label: str, model, lookup: dict, values: dict):
    """Create the row, update only the fields that differ, or leave it alone."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.count(label, "created")
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed and _corrected_in_portal(instance):
        # An admin's correction made in the portal wins over the shipped file.
        report.count(label, "kept")
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance._change_reason = "Reference data load"
        instance.save()
        report.count(label, "updated")
    else:
        report.count(label, "unchanged")
    return instance


def _corrected_in_portal(instance) -> bool:
    history = getattr(instance, "history", None)
    if history is None:
        return False
    latest = history.order_by("-history_date", "-history_id").first()
    return latest is not None and latest.history_user_id is not None


def load(directory: Path = REFDATA_DIR) -> LoadReport:
    parsed = parse(directory)
    report = LoadReport()
    with transaction.atomic():
        departments = {}
        for row in parsed.departments:
            departments[row["abbreviation"]] = _upsert(
                report,
                "departments",
                Organisation,
                {"kind": Organisation.Kind.DEPARTMENT, "abbreviation": row["abbreviation"]},
                {
                    "name": row["name"],
                    "slug": f"department-{slugify(row['abbreviation'])}",
                    "active_from": row["active_from"],
                    "active_to": row["active_to"],
                    "description": row["description"],
                    "source": row["source"],
                },
            )

        offices = {}
        for name in parsed.government_offices:
            offices[name] = _upsert(
                report,
                "government offices",
                Organisation,
                {"kind": Organisation.Kind.GOVERNMENT_OFFICE, "slug": slugify(name)},
                {"name": name},
            )

        _upsert(
            report,
            "national team",
            Organisation,
            {"kind": Organisation.Kind.NATIONAL_TEAM, "slug": "national-laa-team"},
            {"name": NATIONAL_TEAM_NAME},
        )

        for row in parsed.areas:
            area = _upsert(
                report,
                "areas",
                Area,
                {"name": row["name"]},
                {
                    "slug": slugify(row["name"]),
                    "tier": row["tier"],
                    "government_office": offices[row["government_office"]],
                    "ons_code": row["ons_code"],
                    "notes": row["notes"],
                },
            )
            _upsert(
                report,
                "localities",
                Organisation,
                {"kind": Organisation.Kind.LOCALITY, "area": area},
                {"name": f"{area.name} (lead council)", "slug": f"locality-{area.slug}"},
            )

        indicators = {}
        for row in parsed.indicators:
            indicators[row["code"]] = _upsert(
                report,
                "indicators",
                Indicator,
                {"code": row["code"]},
                {
                    "number": row["number"],
                    "title": row["title"],
                    "theme": row["theme"],
                    "lead_department": departments[row["lead_department"]],
                    "lead_department_confirmed": row["lead_department_confirmed"],
                    "source": row["source"],
                    "notes": row["notes"],
                    "polarity": row["polarity"],
                },
            )

        _load_neighbours(report, parsed.neighbours)
        for row in parsed.rounds:
            _load_round(report, row, indicators, parsed.statutory)
    return report


def _load_neighbours(report: LoadReport, neighbours: dict[str, tuple[list[str], str]]) -> None:
    """Each listed area's neighbours become exactly those of the file, in its order."""
    areas = {area.name: area for area in Area.objects.filter(name__in=_names(neighbours))}
    existing = {(row.area_id, row.neighbour_id): row for row in StatisticalNeighbour.objects.all()}
    for name, (listed, source) in neighbours.items():
        area = areas[name]
        wanted = set()
        for position, neighbour_name in enumerate(listed):
            neighbour = areas[neighbour_name]
            wanted.add(neighbour.pk)
            row = existing.get((area.pk, neighbour.pk))
            if row is None:
                StatisticalNeighbour.objects.create(
                    area=area, neighbour=neighbour, position=position, source=source
                )
                report.count("statistical neighbours", "created")
            elif (row.position, row.source) != (position, source):
                row.position, row.source = position, source
                row.save(update_fields=["position", "source"])
                report.count("statistical neighbours", "updated")
            else:
                report.count("statistical neighbours", "unchanged")
        gone = [
            row.pk
            for (area_id, neighbour_id), row in existing.items()
            if area_id == area.pk and neighbour_id not in wanted
        ]
        if gone:
            StatisticalNeighbour.objects.filter(pk__in=gone).delete()
            report.count("statistical neighbours", "updated")


def _names(neighbours: dict[str, tuple[list[str], str]]) -> set[str]:
    names = set(neighbours)
    for listed, _ in neighbours.values():
        names.update(listed)
    return names


def _load_round(report: LoadReport, row: dict, indicators: dict, statutory: dict) -> None:
    round_ = _upsert(
        report,
        "rounds",
        Round,
        {"slug": row["slug"]},
        {
            key: row[key]
            for key in (
                "name",
                "description",
                "structure",
                "first_year",
                "year_count",
                "designated_target_cap",
                "statutory_targets_apply",
                "statutory_note",
                "is_current",
            )
        },
    )
    for position, name in enumerate(row["themes"], start=1):
        _upsert(report, "themes", Theme, {"round": round_, "name": name}, {"position": position})
    for position, milestone in enumerate(row["milestones"], start=1):
        _upsert(
            report,
            "milestones",
            Milestone,
            {"round": round_, "name": milestone["name"]},
            {
                "position": position,
                "due_on": milestone["due_on"],
                "met_when": milestone["met_when"],
                "description": milestone["description"],
            },
        )
    if row["catalogue"] == "national_indicator_set":
        for code, indicator in indicators.items():
            is_statutory = row["statutory_targets_apply"] and code in statutory
            _upsert(
                report,
                "catalogue entries",
                RoundIndicator,
                {"round": round_, "indicator": indicator},
                {
                    "is_statutory": is_statutory,
                    "statutory_phase": statutory.get(code, "") if is_statutory else "",
                },
            )
