"""Who may invite whom, and who may change, remove or restore whose access.

A person's *placement* is an organisation and a role in it. Each role reaches some
placements: an admin every one; a GO lead negotiator the coordinators of the lead councils
of the GO's areas; a coordinator the representatives of the partners named in the area; a
department's LAA lead the officials of the department. The same reach decides who may
invite into a placement, open an organisation's people page, and change, remove or restore
a person placed there (never oneself). `visible_people` and `reachable_organisations` are
the same rules as filters, for lists; a test holds them to the predicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q

from accounts.models import ROLE_ORGANISATION_KIND, Organisation
from accounts.permissions import is_admin, is_coordinator, is_negotiator, is_official
from core.roles import Role
from freedoms.models import PolicyOwner

Kind = Organisation.Kind


@dataclass(frozen=True)
class Placement:
    """An organisation and a role in it: where an invitation or a change would put someone."""

    organisation: Organisation
    role: str

    @property
    def is_consistent(self) -> bool:
        """The role belongs to this kind of organisation (a coordinator to a locality...)."""
        return ROLE_ORGANISATION_KIND.get(Role(self.role)) == self.organisation.kind


def placement_of(person: Any) -> Placement | None:
    if person.organisation_id is None or not person.role:
        return None
    return Placement(person.organisation, person.role)


def _own_area_id(user: Any) -> int | None:
    organisation = user.organisation
    return organisation.area_id if organisation is not None else None


@rules.predicate
def is_department_laa_lead(user: Any) -> bool:
    return bool(
        is_official.test(user)
        and user.organisation_id is not None
        and PolicyOwner.objects.filter(
            user=user, department_id=user.organisation_id, is_laa_lead=True
        ).exists()
    )


@rules.predicate
def reaches_any_placement(user: Any, placement: Placement | None) -> bool:
    return placement is not None and placement.is_consistent


@rules.predicate
def go_reaches(user: Any, placement: Placement | None) -> bool:
    """A GO's negotiator reaches the coordinators of the lead councils of the GO's areas."""
    if placement is None or placement.role != Role.COORDINATOR or user.organisation_id is None:
        return False
    organisation = placement.organisation
    return (
        organisation.kind == Kind.LOCALITY
        and organisation.area is not None
        and organisation.area.government_office_id == user.organisation_id
    )


@rules.predicate
def coordinator_reaches(user: Any, placement: Placement | None) -> bool:
    """A coordinator reaches the representatives of the partners named in the area."""
    if placement is None or placement.role != Role.PARTNER:
        return False
    area_id = _own_area_id(user)
    organisation = placement.organisation
    return (
        area_id is not None
        and organisation.kind == Kind.PARTNER
        and organisation.partnerships.filter(area_id=area_id).exists()
    )


@rules.predicate
def lead_reaches(user: Any, placement: Placement | None) -> bool:
    """A department's LAA lead reaches the department's officials."""
    return (
        placement is not None
        and placement.role == Role.OFFICIAL
        and placement.organisation.kind == Kind.DEPARTMENT
        and placement.organisation.pk == user.organisation_id
    )


reaches = (
    (is_admin & reaches_any_placement)
    | (is_negotiator & go_reaches)
    | (is_coordinator & coordinator_reaches)
    | (is_department_laa_lead & lead_reaches)
)


@rules.predicate
def reaches_person(user: Any, person: Any) -> bool:
    """The person is someone else, placed where the user reaches (an admin reaches anyone
    else, placed or not)."""
    if person is None or person.pk == user.pk:
        return False
    if is_admin.test(user):
        return True
    return bool(reaches.test(user, placement_of(person)))


@rules.predicate
def reaches_organisation(user: Any, organisation: Organisation | None) -> bool:
    if organisation is None:
        return False
    roles = [role for role, kind in ROLE_ORGANISATION_KIND.items() if kind == organisation.kind]
    return any(reaches.test(user, Placement(organisation, role)) for role in roles)


may_invite_anyone = is_admin | is_negotiator | is_coordinator | is_department_laa_lead

# Invite into a placement (the object is a Placement).
rules.add_perm("people.invite", reaches)
# The service navigation's "People" and the list of organisations within reach.
rules.add_perm("people.view_people", may_invite_anyone)
# One organisation's people page (the object is the organisation).
rules.add_perm("people.view_organisation", reaches_organisation)
# Change a person's role or organisation, remove or restore their access, send again or
# revoke their invitation (the object is the person).
rules.add_perm("people.manage_person", reaches_person)
# Invite a round's people from a CSV file.
rules.add_perm("people.import_people", is_admin)
# Invite an official as their department's LAA lead.
rules.add_perm("people.appoint_laa_lead", is_admin)


def reachable_organisations(user: Any) -> Q:
    """`people.view_organisation` as a filter on organisations."""
    nothing = Q(pk__in=[])
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return nothing
    if is_admin.test(user):
        return Q()
    if is_negotiator.test(user):
        return Q(kind=Kind.LOCALITY, area__government_office_id=user.organisation_id)
    if is_coordinator.test(user):
        area_id = _own_area_id(user)
        if area_id is None:
            return nothing
        return Q(kind=Kind.PARTNER, partnerships__area_id=area_id)
    if is_department_laa_lead.test(user):
        return Q(kind=Kind.DEPARTMENT, pk=user.organisation_id)
    return nothing


def visible_people(user: Any) -> Q:
    """The people whose page `user` may open (those `people.manage_person` reaches, and an
    admin's own), as a filter on users."""
    nothing = Q(pk__in=[])
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return nothing
    if is_admin.test(user):
        return Q()
    if is_negotiator.test(user):
        return Q(
            role=Role.COORDINATOR,
            organisation__kind=Kind.LOCALITY,
            organisation__area__government_office_id=user.organisation_id,
        )
    if is_coordinator.test(user):
        area_id = _own_area_id(user)
        if area_id is None:
            return nothing
        return Q(
            role=Role.PARTNER,
            organisation__kind=Kind.PARTNER,
            organisation__partnerships__area_id=area_id,
        )
    if is_department_laa_lead.test(user):
        return Q(
            role=Role.OFFICIAL,
            organisation__kind=Kind.DEPARTMENT,
            organisation_id=user.organisation_id,
        ) & ~Q(pk=user.pk)
    return nothing
