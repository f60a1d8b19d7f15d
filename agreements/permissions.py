"""Who may see and change an agreement, and which side of it a person speaks for.

Every "is this person the area's coordinator / GO / a representative / a referred
department" check is one predicate here; the other apps build their permissions from them.
Lists use `agreements.selectors`, which apply the same rules as a query; the permission
table test holds the two together."""

import rules
from django.db.models import Q

from accounts.permissions import is_admin, is_coordinator, is_negotiator, is_official, is_partner
from agreements.models import Agreement
from agreements.stages import is_editable
from partners.models import AccessLevel, PartnerRepresentative, Partnership


def _representation(user, agreement) -> PartnerRepresentative | None:
    return PartnerRepresentative.objects.filter(
        user=user, partnership__area_id=agreement.area_id
    ).first()


@rules.predicate
def is_areas_coordinator(user, agreement) -> bool:
    return (
        agreement is not None
        and user.organisation_id is not None
        and user.organisation.area_id == agreement.area_id
    )


@rules.predicate
def is_areas_government_office(user, agreement) -> bool:
    return agreement is not None and agreement.area.government_office_id == user.organisation_id


@rules.predicate
def represents_partner_in_area(user, agreement) -> bool:
    return agreement is not None and _representation(user, agreement) is not None


@rules.predicate
def partner_may_comment(user, agreement) -> bool:
    representation = _representation(user, agreement) if agreement is not None else None
    return representation is not None and representation.access in (
        AccessLevel.COMMENT,
        AccessLevel.EDIT,
    )


@rules.predicate
def partner_may_edit(user, agreement) -> bool:
    representation = _representation(user, agreement) if agreement is not None else None
    return representation is not None and representation.access == AccessLevel.EDIT


@rules.predicate
def department_referred(user, agreement) -> bool:
    return (
        agreement is not None
        and agreement.pk is not None
        and user.organisation_id is not None
        and agreement.referrals.filter(department_id=user.organisation_id).exists()
    )


@rules.predicate
def stage_allows_editing(user, agreement) -> bool:
    return agreement is not None and is_editable(agreement.stage)


# The sides of an agreement. The locality: the area's coordinator and the representatives
# of its partners; the Government Office: the negotiators of the area's GO.
is_areas_go = is_negotiator & is_areas_government_office
is_own_coordinator = is_coordinator & is_areas_coordinator
is_locality_side = is_own_coordinator | (is_partner & represents_partner_in_area)
# The parties who move an agreement through its stages (see `negotiations.workflow`).
is_party = is_own_coordinator | is_areas_go
# Those who draft: the coordinator and partners with edit rights, whatever the stage.
is_drafter = is_own_coordinator | (is_partner & partner_may_edit)

can_view = (
    is_admin
    | is_own_coordinator
    | is_areas_go
    | (is_partner & represents_partner_in_area)
    | (is_official & department_referred)
)
can_edit = is_drafter & stage_allows_editing

rules.add_perm("agreements.see_agreement", can_view)


def visible_agreements(user) -> Q:
    """`agreements.see_agreement` as a filter, for lists (`agreements.selectors`): the same
    rule, asked of every agreement in one query. The permission table test holds the two
    together."""
    nothing = Q(pk__in=[])
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return nothing
    if is_admin.test(user):
        return Q()
    if is_coordinator.test(user):
        return Q(area__organisations=user.organisation_id)
    if is_negotiator.test(user):
        return Q(area__government_office_id=user.organisation_id)
    if is_partner.test(user):
        return Q(
            area_id__in=Partnership.objects.filter(representatives__user=user).values("area_id")
        )
    if is_official.test(user):
        # A department sees an agreement once the GO has referred it.
        return Q(
            pk__in=Agreement.objects.filter(referrals__department_id=user.organisation_id).values(
                "pk"
            )
        )
    return nothing


rules.add_perm("agreements.edit_draft", can_edit)
# The list of agreements offers a choice of Government Office to those who see more than
# one GO's areas: not an area's coordinator, nor a GO's negotiator.
rules.add_perm("agreements.filter_by_government_office", ~is_coordinator & ~is_negotiator)
# The coordinator decides who represents partners; admins may too.
rules.add_perm("agreements.manage_partners", is_own_coordinator | is_admin)
# Opening agreements: an admin for a whole round, a coordinator for their own area.
rules.add_perm("agreements.open_round", is_admin)
rules.add_perm("agreements.open_own", is_coordinator)
# The round's catalogue of funding streams is kept by the national team.
rules.add_perm("agreements.manage_funding_catalogue", is_admin)
# The figures of statutory education targets arrive from DCSF and are loaded by the
# national team.
rules.add_perm("agreements.load_statutory_values", is_admin)


# --- Areas' negotiators: the object is the area.


@rules.predicate
def covers_area(user, area) -> bool:
    """The area is one of the user's Government Office's."""
    return (
        area is not None
        and user.organisation_id is not None
        and area.government_office_id == user.organisation_id
    )


# A GO's negotiators share out its areas among themselves: each area to a named colleague.
rules.add_perm("agreements.assign_areas", is_negotiator)
rules.add_perm("agreements.assign_area", is_negotiator & covers_area)


def assignable_colleagues(user) -> Q:
    """Who the user may hand an area to, as a filter on people: the active negotiators of
    their own Government Office (themselves included)."""
    if not (user.is_authenticated and user.is_active) or not is_negotiator.test(user):
        return Q(pk__in=[])
    return Q(role=user.role, organisation_id=user.organisation_id, is_active=True)


def assignable_areas(user) -> Q:
    """`agreements.assign_area` as a filter on areas."""
    if not (user.is_authenticated and user.is_active) or not is_negotiator.test(user):
        return Q(pk__in=[])
    return Q(government_office_id=user.organisation_id)
