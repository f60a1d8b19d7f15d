"""An agreement's timeline: stage changes, comments and edits, as each reader may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agreements.models import Agreement, AgreementFundingStream, Target
from core.text import lower_first
from negotiations import registry, selectors
from negotiations.models import Comment

LIMIT = 200


@dataclass(frozen=True)
class Event:
    when: datetime
    who: str
    kind: str  # stage, comment, edit
    text: str


def name_of(user) -> str:
    return user.get_full_name() if user else "The portal"


def timeline(user, agreement: Agreement) -> list[Event]:
    events: list[Event] = []
    for change in agreement.stage_changes.select_related("actor"):
        text = f"{change.get_action_display()}: now {lower_first(change.get_to_stage_display())}"
        if change.comment:
            text += f". “{change.comment}”"
        events.append(Event(change.created_at, name_of(change.actor), "stage", text))

    # What the apps above add (the sign-off's signatures), registered with negotiation.
    for source in registry.timeline_sources():
        events.extend(source(agreement))

    kinds = selectors.visible_comment_kinds(user, agreement)
    comments = (
        Comment.objects.filter(agreement=agreement)
        .filter(visibility__in=kinds)
        .select_related("author", "target__indicator", "funding__stream", "resolved_by")
    )
    for comment in comments:
        label = "Reply" if comment.parent_id else comment.get_kind_display()
        events.append(
            Event(
                comment.created_at,
                name_of(comment.author),
                "comment",
                f"{label} on {comment.anchor_label} "
                f"({lower_first(comment.get_visibility_display())}): "
                f"{comment.body[:200]}",
            )
        )
        if comment.resolved_at:
            events.append(
                Event(
                    comment.resolved_at,
                    name_of(comment.resolved_by),
                    "comment",
                    f"{comment.get_kind_display()} on {comment.anchor_label} marked "
                    f"{lower_first(comment.get_resolution_display())}",
                )
            )

    # A change of stage is told once, by its stage change above: the save of the agreement
    # that wrote the stage is not told again. One more record than shown is read so that
    # the oldest one shown can be compared with the one before it.
    records = list(
        agreement.history.select_related("history_user").order_by("-history_date", "-pk")[
            : LIMIT + 1
        ]
    )
    for record, older in zip(records[:LIMIT], [*records[1:], None], strict=False):
        if older is not None and older.stage != record.stage:
            continue
        reason = record.history_change_reason or "Agreement changed"
        events.append(Event(record.history_date, name_of(record.history_user), "edit", reason))
    for model, label in ((Target, "target"), (AgreementFundingStream, "funding stream")):
        records = (
            model.history.filter(agreement_id=agreement.pk)
            .select_related("history_user", "indicator" if model is Target else "stream")
            .order_by("-history_date")[:LIMIT]
        )
        for record in records:
            name = (
                getattr(record, "local_title", "")
                or (record.indicator.code if getattr(record, "indicator_id", None) else label)
                if model is Target
                else record.stream.name
            )
            reason = record.history_change_reason or "Changed"
            events.append(
                Event(
                    record.history_date,
                    name_of(record.history_user),
                    "edit",
                    f"{label.capitalize()} {name}: {reason}",
                )
            )
    events.sort(key=lambda e: e.when, reverse=True)
    return events[:LIMIT]
