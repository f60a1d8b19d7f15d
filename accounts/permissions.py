"""Who may do what, as `rules` predicates.

Views and templates ask `user.has_perm(...)` or `{% has_perm %}`; nothing tests a role
inline. Object-level rules answer for one object; the selectors keep lists in step.
"""

import rules
from django.db.models import Q

from accounts.models import Role


def _has_role(role: Role):
    @rules.predicate(name=f"is_{role.value}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_coordinator = _has_role(Role.COORDINATOR)
is_partner = _has_role(Role.PARTNER)
is_negotiator = _has_role(Role.NEGOTIATOR)
is_official = _has_role(Role.OFFICIAL)
is_admin = _has_role(Role.ADMIN)

is_government = is_negotiator | is_official | is_admin


# The national team runs rounds and sees the whole directory.
rules.add_perm("indicators.manage_rounds", is_admin)
rules.add_perm("accounts.view_directory", is_government)
# Home pages: those who work in particular areas see a list of them and of their
# agreements; a department sees how many indicators it leads; everyone but the national
# team and partners has a list of work, empty or not.
works_in_areas = is_coordinator | is_partner | is_negotiator
rules.add_perm("accounts.list_own_areas", works_in_areas)
rules.add_perm("accounts.see_lead_indicators", is_official)
rules.add_perm("accounts.see_work_list", ~is_admin & ~is_partner)


# --- Areas: the object is the area.


@rules.predicate
def coordinates_area(user, area) -> bool:
    return (
        area is not None
        and user.organisation_id is not None
        and (user.organisation.area_id == area.pk)
    )


@rules.predicate
def is_areas_go_office(user, area) -> bool:
    return area is not None and area.government_office_id == user.organisation_id


@rules.predicate
def partner_named_in_area(user, area) -> bool:
    return (
        area is not None
        and user.organisation_id is not None
        and area.partnerships.filter(organisation_id=user.organisation_id).exists()
    )


# The areas a person works in: their own, those their GO covers, those their partner
# organisation is named in. Departments and the national team work across every area.
rules.add_perm(
    "accounts.see_area",
    (is_coordinator & coordinates_area)
    | (is_negotiator & is_areas_go_office)
    | (is_partner & partner_named_in_area)
    | is_official
    | is_admin,
)


def visible_areas(user) -> Q:
    """`accounts.see_area` as a filter, for lists (`accounts.selectors.areas_for_user`)."""
    nothing = Q(pk__in=[])
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return nothing
    if is_coordinator.test(user):
        return Q(organisations=user.organisation_id)
    if is_negotiator.test(user):
        return Q(government_office_id=user.organisation_id)
    if is_partner.test(user):
        return Q(partnerships__organisation_id=user.organisation_id)
    if is_official.test(user) or is_admin.test(user):
        return Q()
    return nothing


# --- Second factors: the object is the person whose factor it is.


@rules.predicate
def is_same_person(user, person) -> bool:
    return person is not None and user.pk == person.pk


# The national team resets the second factor of someone who has lost theirs; nobody resets
# their own (that would let a stolen password replace the factor it is meant to back up).
rules.add_perm("accounts.reset_second_factor", is_admin & ~is_same_person)
