"""What changed between two versions of an agreement.

Negotiators need to see exactly what moved between one frozen version and the next: which
targets came and went, how each baseline and yearly figure shifted (and by how much), which
funding terms changed and how the narrative was reworded. This works on the plain dicts made
by `negotiations.versions.snapshot`, never on the database, so any two versions can be
compared cheaply and the result rendered by views, templates or the PDF.

Records are matched by their stable `key`; figures are decimal strings compared as
`Decimal`, so "12" and "12.0" count as the same value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from agreements.presentation import (
    date_at_precision,
    decimal_text,
    number_or_none,
    places_of,
    with_units,
)

TARGET_FIELDS: dict[str, str] = {
    "kind": "Kind",
    "code": "Indicator code",
    "name": "Name",
    "definition": "Definition",
    "outcome": "Outcome",
    "units": "Units",
    "polarity": "Polarity",
    "baseline_year": "Baseline year",
    "is_stretch": "Stretch",
    "is_deferred": "Deferred",
    "caveats": "Caveats",
    "lead_partner": "Lead partner",
    "contributing_partners": "Contributing partners",
    "status": "Status",
}

# Fields that versions frozen before them lack: a missing key reads as its default.
LATER_TARGET_FIELDS: dict[str, tuple[str, Any]] = {
    "is_qualitative": ("Stated in words", False),
    "statement": ("Target in words", ""),
    "statutory_state": ("Statutory state", ""),
}

STATUTORY_STATES = {"awaiting": "Awaiting DCSF figures", "set": "Set"}

FUNDING_FIELDS: dict[str, str] = {
    "department": "Department",
    "provider": "Provider",
    "arrangement": "Arrangement",
    "is_unquantified": "Unquantified",
    "conditions": "Conditions",
    "outcomes": "Outcomes",
    "consent_given_by": "Consent given by",
    "consent_given_on": "Consent given on",
    "status": "Status",
}


@dataclass(frozen=True)
class ValueChange:
    old: Any
    new: Any
    difference: Decimal | None  # new - old, when both are numbers
    # As every page shows a target's figures: the places typed, with units.
    old_text: str = field(default="", compare=False)
    new_text: str = field(default="", compare=False)
    difference_text: str = field(default="", compare=False)


@dataclass(frozen=True)
class YearChange:
    year: str
    old: Any
    new: Any
    difference: Decimal | None
    changed: bool
    old_text: str = field(default="", compare=False)
    new_text: str = field(default="", compare=False)
    difference_text: str = field(default="", compare=False)


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Any
    new: Any

    @property
    def old_text(self) -> str:
        return display(self.old)

    @property
    def new_text(self) -> str:
        return display(self.new)


@dataclass(frozen=True)
class TargetChange:
    key: str
    code: str
    name: str
    kind: str
    baseline: ValueChange | None
    years: list[YearChange]
    fields: list[FieldChange]


@dataclass(frozen=True)
class FundingChange:
    key: str
    stream: str
    years: list[YearChange]
    fields: list[FieldChange]


@dataclass(frozen=True)
class TextDiff:
    changed: bool
    ops: list[tuple[str, str]]  # ("equal" | "insert" | "delete", text)


@dataclass(frozen=True)
class Comparison:
    years: list[str]
    targets_added: list[dict]
    targets_removed: list[dict]
    targets_changed: list[TargetChange]
    targets_unchanged_count: int
    funding_added: list[dict]
    funding_removed: list[dict]
    funding_changed: list[FundingChange]
    funding_unchanged_count: int
    story_of_place: TextDiff
    governance: TextDiff
    themes_added: list[str] = field(default_factory=list)
    themes_removed: list[str] = field(default_factory=list)
    outcomes_added: list[tuple[str, str]] = field(default_factory=list)
    outcomes_removed: list[tuple[str, str]] = field(default_factory=list)
    outcomes_changed: list[tuple[str, str]] = field(default_factory=list)  # description only
    requests_added: list[dict] = field(default_factory=list)
    requests_removed: list[dict] = field(default_factory=list)
    requests_changed: list[dict] = field(default_factory=list)  # the new dicts

    @property
    def has_changes(self) -> bool:
        return bool(
            self.targets_added
            or self.targets_removed
            or self.targets_changed
            or self.funding_added
            or self.funding_removed
            or self.funding_changed
            or self.story_of_place.changed
            or self.governance.changed
            or self.themes_added
            or self.themes_removed
            or self.outcomes_added
            or self.outcomes_removed
            or self.outcomes_changed
            or self.requests_added
            or self.requests_removed
            or self.requests_changed
        )


def compare(old: dict, new: dict) -> Comparison:
    years = list(new.get("years") or old.get("years") or [])
    targets_added, targets_removed, target_pairs = _match(old.get("targets"), new.get("targets"))
    target_changes = [_target_change(a, b, years) for a, b in target_pairs]
    funding_added, funding_removed, funding_pairs = _match(old.get("funding"), new.get("funding"))
    funding_changes = [_funding_change(a, b, years) for a, b in funding_pairs]
    requests_added, requests_removed, request_pairs = _match(
        old.get("requests"), new.get("requests")
    )
    old_themes, new_themes = _themes(old), _themes(new)
    old_outcomes, new_outcomes = _outcomes(old), _outcomes(new)
    return Comparison(
        years=years,
        targets_added=targets_added,
        targets_removed=targets_removed,
        targets_changed=[c for c in target_changes if c is not None],
        targets_unchanged_count=sum(c is None for c in target_changes),
        funding_added=funding_added,
        funding_removed=funding_removed,
        funding_changed=[c for c in funding_changes if c is not None],
        funding_unchanged_count=sum(c is None for c in funding_changes),
        story_of_place=diff_text(old.get("story_of_place"), new.get("story_of_place")),
        governance=diff_text(old.get("governance"), new.get("governance")),
        themes_added=[name for name in new_themes if name not in old_themes],
        themes_removed=[name for name in old_themes if name not in new_themes],
        outcomes_added=[pair for pair in new_outcomes if pair not in old_outcomes],
        outcomes_removed=[pair for pair in old_outcomes if pair not in new_outcomes],
        outcomes_changed=[
            pair
            for pair, description in new_outcomes.items()
            if pair in old_outcomes and old_outcomes[pair] != description
        ],
        requests_added=requests_added,
        requests_removed=requests_removed,
        requests_changed=[b for a, b in request_pairs if a != b],
    )


def diff_text(old: str | None, new: str | None) -> TextDiff:
    """Word-level diff; whitespace is kept in the tokens so both texts can be rebuilt."""
    old, new = old or "", new or ""
    a, b = _tokens(old), _tokens(new)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(ops, "equal", "".join(b[j1:j2]))
        else:  # "replace" is a deletion followed by an insertion
            _append(ops, "delete", "".join(a[i1:i2]))
            _append(ops, "insert", "".join(b[j1:j2]))
    return TextDiff(changed=old != new, ops=ops)


def display(value: Any) -> str:
    """A field's value as plain text for a page: lists joined, booleans as Yes/No."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(
            f"{item.get('district')}: {decimal_text(item.get('value'), item.get('places'))}"
            if isinstance(item, dict)
            else display(item)
            for item in value
        )
    return str(value)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\s+|\S+", text)


def _append(ops: list[tuple[str, str]], tag: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == tag:
        ops[-1] = (tag, ops[-1][1] + text)
    else:
        ops.append((tag, text))


def _match(
    old: Iterable[dict] | None, new: Iterable[dict] | None
) -> tuple[list[dict], list[dict], list[tuple[dict, dict]]]:
    """Split keyed records into added (new order), removed (old order) and matched pairs."""
    old_by_key = {item["key"]: item for item in old or []}
    new_list = list(new or [])
    new_keys = {item["key"] for item in new_list}
    added = [item for item in new_list if item["key"] not in old_by_key]
    removed = [item for item in old_by_key.values() if item["key"] not in new_keys]
    pairs = [(old_by_key[item["key"]], item) for item in new_list if item["key"] in old_by_key]
    return added, removed, pairs


def _same(old: Any, new: Any) -> bool:
    old_number, new_number = number_or_none(old), number_or_none(new)
    if old_number is not None and new_number is not None:
        return old_number == new_number
    return old == new


def _difference(old: Any, new: Any) -> Decimal | None:
    old_number, new_number = number_or_none(old), number_or_none(new)
    if old_number is None or new_number is None:
        return None
    return new_number - old_number


def _typed(value: Any, places: int | None, units: str) -> str:
    """A figure as the target pages show it: the places typed, with units."""
    return with_units(decimal_text(value, places), units)


def _difference_text(old: Any, new: Any, old_places, new_places, units: str) -> str:
    difference = _difference(
        decimal_text(old, old_places) or None, decimal_text(new, new_places) or None
    )
    return "" if difference is None else _typed(difference, places_of(difference), units)


def _years(
    old: list | None, new: list | None, years: list[str], units: str = ""
) -> list[YearChange]:
    old, new = list(old or []), list(new or [])
    count = max(len(years), len(old), len(new))
    old += [None] * (count - len(old))
    new += [None] * (count - len(new))
    return [
        YearChange(
            year=years[i] if i < len(years) else f"Year {i + 1}",
            old=old[i],
            new=new[i],
            difference=_difference(old[i], new[i]),
            changed=not _same(old[i], new[i]),
            old_text=_typed(old[i], places_of(old[i]), units),
            new_text=_typed(new[i], places_of(new[i]), units),
            difference_text=_difference_text(
                old[i], new[i], places_of(old[i]), places_of(new[i]), units
            ),
        )
        for i in range(count)
    ]


def _fields(old: dict, new: dict, labels: dict[str, str]) -> list[FieldChange]:
    return [
        FieldChange(label, old.get(name), new.get(name))
        for name, label in labels.items()
        if old.get(name) != new.get(name)
    ]


def _units(item: dict) -> str:
    return item.get("units") or item.get("indicator_units") or ""


def _baseline_due(item: dict) -> str:
    return date_at_precision(item.get("baseline_due_on"), item.get("baseline_due_precision") or "")


def _shares(item: dict) -> list[tuple[str, Decimal | None]]:
    return [
        (s.get("district"), number_or_none(s.get("value")))
        for s in item.get("district_shares") or []
    ]


def _later_fields(old: dict, new: dict) -> list[FieldChange]:
    """The target's fields frozen only by later versions, and the two whose text depends
    on more than one key: the baseline-by date at its precision and the district split."""
    changes = []
    for name, (label, default) in LATER_TARGET_FIELDS.items():
        old_value, new_value = old.get(name, default), new.get(name, default)
        if old_value != new_value:
            if name == "statutory_state":
                old_value = STATUTORY_STATES.get(old_value, old_value)
                new_value = STATUTORY_STATES.get(new_value, new_value)
            changes.append(FieldChange(label, old_value, new_value))
    if _baseline_due(old) != _baseline_due(new):
        changes.append(FieldChange("Baseline due on", _baseline_due(old), _baseline_due(new)))
    if _shares(old) != _shares(new):
        changes.append(
            FieldChange("District split", old.get("district_shares"), new.get("district_shares"))
        )
    return changes


def _target_change(old: dict, new: dict, years: list[str]) -> TargetChange | None:
    old_baseline, new_baseline = old.get("baseline_value"), new.get("baseline_value")
    old_places, new_places = old.get("baseline_places"), new.get("baseline_places")
    units = _units(new)
    baseline = None
    if not _same(old_baseline, new_baseline):
        baseline = ValueChange(
            old_baseline,
            new_baseline,
            _difference(old_baseline, new_baseline),
            old_text=_typed(old_baseline, old_places, _units(old)),
            new_text=_typed(new_baseline, new_places, units),
            difference_text=_difference_text(
                old_baseline, new_baseline, old_places, new_places, units
            ),
        )
    yearly = _years(old.get("yearly_values"), new.get("yearly_values"), years, units)
    fields = _fields(old, new, TARGET_FIELDS) + _later_fields(old, new)
    if baseline is None and not fields and not any(y.changed for y in yearly):
        return None
    return TargetChange(
        key=new["key"],
        code=new.get("code") or "",
        name=new.get("name") or "",
        kind=new.get("kind") or "",
        baseline=baseline,
        years=yearly,
        fields=fields,
    )


def _funding_change(old: dict, new: dict, years: list[str]) -> FundingChange | None:
    yearly = _years(old.get("yearly_amounts"), new.get("yearly_amounts"), years)
    fields = _fields(old, new, FUNDING_FIELDS)
    if not fields and not any(y.changed for y in yearly):
        return None
    return FundingChange(
        key=new["key"], stream=new.get("stream") or new["key"], years=yearly, fields=fields
    )


def _themes(content: dict) -> list[str]:
    return [theme["name"] for theme in content.get("themes") or []]


def _outcomes(content: dict) -> dict[tuple[str, str], str]:
    return {
        (theme["name"], outcome["title"]): outcome.get("description") or ""
        for theme in content.get("themes") or []
        for outcome in theme.get("outcomes") or []
    }
