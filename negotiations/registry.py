"""What the apps above negotiation add to it, registered from their AppConfig.ready() so
that negotiation imports none of them: the freedoms requests a negotiation settles, carries
to the refresh and freezes into each version (the freedoms app); whose turn it is in the
sign-off, whether a version was signed, and the signatures on an agreement's timeline (the
sign-off app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from agreements.models import Agreement


@dataclass(frozen=True)
class RequestHooks:
    # Submitted requests neither answered and relayed nor carried to the refresh.
    not_settled: Callable[[Agreement], QuerySet[Any]]
    # Carry one of them to the refresh under a row lock:
    # carry_to_refresh(request, *, actor, when, reason), the reason for its history.
    carry_to_refresh: Callable[..., None]
    # The requests as a version freezes them.
    frozen: Callable[[Agreement], list[dict]]


@dataclass(frozen=True)
class SignOffHooks:
    # The open run and its chain for each agreement in sign-off among those given.
    chains_for: Callable[[list], dict]
    # Whose turn it is in an agreement's sign-off (from its chain, if read already).
    whose_turn: Callable[..., str]
    # Whether a completed sign-off signed this version.
    version_is_signed: Callable[[Agreement, Any], bool]


_requests: RequestHooks | None = None
_sign_off: SignOffHooks | None = None
_timeline_sources: list[Callable[[Agreement], list]] = []


def register_requests(hooks: RequestHooks) -> None:
    global _requests
    _requests = hooks


def requests() -> RequestHooks:
    if _requests is None:
        raise ImproperlyConfigured("No app has registered the agreement's freedoms requests.")
    return _requests


def register_sign_off(hooks: SignOffHooks) -> None:
    global _sign_off
    _sign_off = hooks


def sign_off() -> SignOffHooks:
    if _sign_off is None:
        raise ImproperlyConfigured("No app has registered the agreement's sign-off.")
    return _sign_off


def register_timeline_source(source: Callable[[Agreement], list]) -> None:
    """`source(agreement)` gives events (negotiations.activity.Event) for the timeline."""
    if source not in _timeline_sources:
        _timeline_sources.append(source)


def timeline_sources() -> list[Callable[[Agreement], list]]:
    return list(_timeline_sources)
