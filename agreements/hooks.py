"""What the apps above agreements do when its content changes, registered from their
AppConfig.ready() so that agreements imports none of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_before_target_removed: list[Callable[..., Any]] = []
_items_changed: list[Callable[..., Any]] = []
_turns: tuple[Callable[[Any], Any], Callable[[Any], list]] | None = None
_task_sections: list[Callable[[Any], Any]] = []


def task_list_section(receiver: Callable[[Any], Any]) -> None:
    """`receiver(agreement)` gives the agreement's task list a section of its own (a
    `completeness.Task`), or None when it has nothing to add."""
    if receiver not in _task_sections:
        _task_sections.append(receiver)


def task_sections(agreement) -> list:
    return [receiver(agreement) for receiver in _task_sections]


def before_target_removed(receiver: Callable[..., Any]) -> None:
    """`receiver(target=...)` is called, within the removal's transaction, just before a
    target is deleted (negotiation keeps the label of the comments about it)."""
    if receiver not in _before_target_removed:
        _before_target_removed.append(receiver)


def target_removing(target) -> None:
    for receiver in _before_target_removed:
        receiver(target=target)


def on_items_changed(receiver: Callable[..., Any]) -> None:
    """`receiver(agreement, keys, reason=..., actor=...)` is called, within the change's
    transaction, with the keys of the items a person changed ("target:NI 1", "funding:...")
    and the reason they gave (the amendment of a signed agreement keeps it)."""
    if receiver not in _items_changed:
        _items_changed.append(receiver)


def items_changed(agreement, keys, *, reason: str, actor) -> None:
    for receiver in _items_changed:
        receiver(agreement, keys, reason=reason, actor=actor)


def agreement_turns(*, annotate: Callable[[Any], Any], read: Callable[[Any], list]) -> None:
    """How the list of agreements says whose turn each one is: `annotate(queryset)` adds
    what `read(agreements)` needs, and `read` gives (agreement, whose turn) pairs (taking
    as keywords what a caller has already read for them, such as sign-off chains)."""
    global _turns
    _turns = (annotate, read)


def _registered_turns() -> tuple[Callable[[Any], Any], Callable[[Any], list]]:
    if _turns is None:
        raise ImproperlyConfigured("No app has registered whose turn an agreement is.")
    return _turns


def with_turn(agreements):
    return _registered_turns()[0](agreements)


def whose_turns(agreements, **read) -> list:
    return _registered_turns()[1](agreements, **read)


_milestones: tuple[Callable[[list], dict], Callable[[Any], Any], Callable[[Any], Any]] | None = None


def agreement_milestones(
    *,
    read: Callable[[list], dict],
    overdue: Callable[[Any], Any],
    annotate: Callable[[Any], Any],
) -> None:
    """How the list of agreements says where each stands against its round's timetable:
    `annotate(queryset)` adds what `read` needs in the list's own query, `read(agreements)`
    gives {agreement id: its next milestone (with `due_on` and `overdue`), or None}, and
    `overdue(queryset)` keeps those whose next milestone is past."""
    global _milestones
    _milestones = (read, overdue, annotate)


def _registered_milestones() -> tuple[
    Callable[[list], dict], Callable[[Any], Any], Callable[[Any], Any]
]:
    if _milestones is None:
        raise ImproperlyConfigured("No app has registered agreements' milestones.")
    return _milestones


def next_milestones(agreements) -> dict:
    return _registered_milestones()[0](list(agreements))


def overdue_only(agreements):
    return _registered_milestones()[1](agreements)


def with_milestone(agreements):
    return _registered_milestones()[2](agreements)
