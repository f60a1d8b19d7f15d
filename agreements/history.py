"""Readable change records built from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agreements.models import Target

HIDDEN = {"version", "created_at", "updated_at", "agreement", "kind", "id"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    reason: str
    kind: str  # Created, Changed or Removed
    fields: list[FieldChange]


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field that no longer exists keeps its raw name
        return name


def _display(value):
    if isinstance(value, list):
        return ", ".join("–" if v is None else str(v) for v in value) or "–"
    if value in (None, ""):
        return "–"
    return value


def target_changes(target: Target) -> list[Change]:
    records = list(
        target.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes = []
    previous = None
    for record in records:
        kind = {"+": "Created", "~": "Changed", "-": "Removed"}[record.history_type]
        fields = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HIDDEN)
            for change in delta.changes:
                old, new = change.old, change.new
                if change.field == "contributing_partners":
                    old = ", ".join(str(r["organisation"]) for r in old) if old else None
                    new = ", ".join(str(r["organisation"]) for r in new) if new else None
                fields.append(
                    FieldChange(_label(Target, change.field), _display(old), _display(new))
                )
        who = record.history_user.get_full_name() if record.history_user else "The portal"
        if kind == "Changed" and not fields:
            previous = record
            continue  # a save that changed nothing visible
        changes.append(
            Change(record.history_date, who, record.history_change_reason or "", kind, fields)
        )
        previous = record
    return list(reversed(changes))
