"""Amending a signed agreement at refresh: what changed since the signed version, and why.

Every item that differs from the signed version (a target added, removed or changed, a
funding stream, a reworded section, a theme or outcome) needs a reason before the amendment
can be submitted. Items are keyed by the same stable keys that compare uses, so a reason
stays with its item however many times the draft is saved. A change of negotiation status
alone is the Government Office's bookkeeping, not an amendment, and needs no reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agreements.stages import Stage
from negotiations.compare import Comparison, compare
from negotiations.models import AmendmentReason
from negotiations.versions import snapshot

# Parts of a version's content that are not the agreement's negotiated text: requests move
# on their own lifecycle, the amendment record is written at submission, and the statutory
# note is the round's, frozen only so that the version reads as it did.
NOT_CONTENT = ("requests", "amendment", "statutory_note")


@dataclass(frozen=True)
class AmendedItem:
    key: str
    label: str
    change: str  # "Added", "Removed" or "Changed"


def agreed_content(content: dict) -> dict:
    return {key: value for key, value in content.items() if key not in NOT_CONTENT}


def _target_label(target: dict) -> str:
    name = target.get("name") or ""
    return f"{target['code']}: {name}" if target.get("code") else f"Local target: {name}"


def amended_items(old: dict, new: dict) -> list[AmendedItem]:
    comparison: Comparison = compare(agreed_content(old), agreed_content(new))
    items: list[AmendedItem] = []
    if comparison.story_of_place.changed:
        items.append(AmendedItem("section:story_of_place", "Story of place", "Changed"))
    if comparison.governance.changed:
        items.append(AmendedItem("section:governance", "Governance", "Changed"))
    for name in comparison.themes_added:
        items.append(AmendedItem(f"theme:{name}", f"Theme: {name}", "Added"))
    for name in comparison.themes_removed:
        items.append(AmendedItem(f"theme:{name}", f"Theme: {name}", "Removed"))
    for label, pairs in (
        ("Added", comparison.outcomes_added),
        ("Removed", comparison.outcomes_removed),
        ("Changed", comparison.outcomes_changed),
    ):
        for theme, title in pairs:
            items.append(AmendedItem(f"outcome:{theme}/{title}", f"Outcome: {title}", label))
    for target in comparison.targets_added:
        items.append(AmendedItem(f"target:{target['key']}", _target_label(target), "Added"))
    for target in comparison.targets_removed:
        items.append(AmendedItem(f"target:{target['key']}", _target_label(target), "Removed"))
    for change in comparison.targets_changed:
        only_status = (
            change.baseline is None
            and not any(year.changed for year in change.years)
            and all(f.label == "Status" for f in change.fields)
        )
        if not only_status:
            label = _target_label({"code": change.code, "name": change.name})
            items.append(AmendedItem(f"target:{change.key}", label, "Changed"))
    for entry in comparison.funding_added:
        items.append(AmendedItem(f"funding:{entry['key']}", f"Funding: {entry['stream']}", "Added"))
    for entry in comparison.funding_removed:
        items.append(
            AmendedItem(f"funding:{entry['key']}", f"Funding: {entry['stream']}", "Removed")
        )
    for change in comparison.funding_changed:
        if any(year.changed for year in change.years) or any(
            f.label != "Status" for f in change.fields
        ):
            items.append(
                AmendedItem(f"funding:{change.key}", f"Funding: {change.stream}", "Changed")
            )
    return items


def working_changes(agreement) -> list[AmendedItem]:
    """What the amendment in progress changes, against the signed version."""
    if agreement.signed_version_id is None:
        return []
    return amended_items(agreement.signed_version.content, snapshot(agreement))


def reasons_for(agreement) -> dict[str, str]:
    return dict(
        AmendmentReason.objects.filter(
            agreement=agreement, base_version_id=agreement.signed_version_id
        ).values_list("key", "reason")
    )


def amendment_problems(agreement) -> str:
    """Why the amendment cannot be submitted yet, or "" when it can."""
    items = working_changes(agreement)
    if not items:
        return "Nothing has changed since the signed version."
    reasons = reasons_for(agreement)
    missing = sum(1 for item in items if not reasons.get(item.key, "").strip())
    if missing:
        return (
            f"{missing} change{'s' if missing != 1 else ''} since the signed version "
            f"need{'s' if missing == 1 else ''} a reason."
        )
    return ""


def amendment_record(agreement, content: dict) -> dict:
    """The amendment's changes and reasons, frozen into the version that carries them."""
    reasons = reasons_for(agreement)
    items = amended_items(agreement.signed_version.content, content)
    return {
        "amends_version": agreement.signed_version.number,
        "changes": [
            {
                "key": item.key,
                "label": item.label,
                "change": item.change,
                "reason": reasons.get(item.key, ""),
            }
            for item in items
        ],
    }


def amendment_reason_note(agreement, keys: Iterable[str], *, reason: str, actor) -> None:
    """While a signed agreement is amended, the reason a person gives for a change is the
    amendment's reason for it, editable on the amendment page. A reason already given there
    is kept, with this one added after it. Within the caller's transaction; agreements calls
    it with each change (agreements.hooks)."""
    reason = (reason or "").strip()
    if not reason or agreement.signed_version_id is None:
        return
    if agreement.stage not in (Stage.DRAFTING, Stage.RETURNED):
        return
    for key in dict.fromkeys(keys):
        row = (
            AmendmentReason.objects.select_for_update()
            .filter(agreement=agreement, base_version_id=agreement.signed_version_id, key=key)
            .first()
        )
        if row is None:
            row = AmendmentReason(
                agreement=agreement, base_version_id=agreement.signed_version_id, key=key
            )
        elif reason in row.reason:
            continue
        row.reason = f"{row.reason}; {reason}" if row.reason.strip() else reason
        row.given_by = actor
        row._history_user = actor
        row._change_reason = "Reason given with the change"
        row.save()
