"""Who to tell: the active people on each side of an agreement, chosen by role.

Every app that notifies someone about an agreement asks here, so "the area's Government
Office" or "the locality" means the same people in every e-mail. The agreement and the
organisations are passed in; only their fields are read (the area, its Government Office),
so this module needs no app of the portal above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from core.roles import Role


def _active() -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True)


def coordinators(areas: Iterable[Any]) -> QuerySet[Any]:
    """The LAA coordinators of the lead councils of `areas` (areas, their keys, or a query
    of their keys)."""
    return _active().filter(role=Role.COORDINATOR, organisation__area__in=areas)


def area_coordinators(agreement: Any) -> list[Any]:
    """The LAA coordinators of the agreement's area."""
    return list(_active().filter(role=Role.COORDINATOR, organisation__area_id=agreement.area_id))


def partner_people(agreement: Any, organisations: Iterable[Any] | None = None) -> list[Any]:
    """The people speaking for a partner in the agreement's area (for any partner, or only
    for `organisations`), each once however many partners they speak for."""
    speaking = {"representations__partnership__area_id": agreement.area_id}
    if organisations is not None:
        speaking["representations__partnership__organisation__in"] = organisations
    user_model = get_user_model()
    return list(_active().filter(pk__in=user_model.objects.filter(**speaking).values("pk")))


def locality_people(agreement: Any) -> list[Any]:
    """The locality side: the area's coordinators, then its partners' representatives."""
    return [*area_coordinators(agreement), *partner_people(agreement)]


def go_people(agreement: Any) -> list[Any]:
    """The GO lead negotiators of the area's Government Office."""
    return list(
        _active().filter(role=Role.NEGOTIATOR, organisation_id=agreement.area.government_office_id)
    )


def department_people(departments: Iterable[Any]) -> list[Any]:
    """The officials of the given departments."""
    return list(_active().filter(role=Role.OFFICIAL, organisation__in=departments))


def national_admins() -> list[Any]:
    """The national LAA team's administrators."""
    return list(_active().filter(role=Role.ADMIN))
