"""Who may see and change an agreement. Lists use `agreements.selectors`, which apply the
same rules as a query; tests hold the two together with a table of role x object cases."""

import rules

from accounts.permissions import is_admin, is_coordinator, is_negotiator, is_official, is_partner
from agreements.stages import is_editable
from partners.models import AccessLevel, PartnerRepresentative


def _representation(user, agreement) -> PartnerRepresentative | None:
    return PartnerRepresentative.objects.filter(
        user=user, partnership__area_id=agreement.area_id
    ).first()


@rules.predicate
def is_areas_coordinator(user, agreement) -> bool:
    return agreement is not None and user.organisation.area_id == agreement.area_id


@rules.predicate
def is_areas_government_office(user, agreement) -> bool:
    return agreement is not None and agreement.area.government_office_id == user.organisation_id


@rules.predicate
def represents_partner_in_area(user, agreement) -> bool:
    return agreement is not None and _representation(user, agreement) is not None


@rules.predicate
def partner_may_edit(user, agreement) -> bool:
    representation = _representation(user, agreement) if agreement is not None else None
    return representation is not None and representation.access == AccessLevel.EDIT


@rules.predicate
def department_referred(user, agreement) -> bool:
    from negotiations.models import Referral

    return (
        agreement is not None
        and Referral.objects.filter(
            agreement_id=agreement.pk, department_id=user.organisation_id
        ).exists()
    )


@rules.predicate
def stage_allows_editing(user, agreement) -> bool:
    return agreement is not None and is_editable(agreement.stage)


can_view = (
    is_admin
    | (is_coordinator & is_areas_coordinator)
    | (is_negotiator & is_areas_government_office)
    | (is_partner & represents_partner_in_area)
    | (is_official & department_referred)
)
can_edit = ((is_coordinator & is_areas_coordinator) | (is_partner & partner_may_edit)) & (
    stage_allows_editing
)

rules.add_perm("agreements.see_agreement", can_view)
rules.add_perm("agreements.edit_draft", can_edit)
# The coordinator decides who represents partners; admins may too.
rules.add_perm("agreements.manage_partners", (is_coordinator & is_areas_coordinator) | is_admin)
# Opening agreements: an admin for a whole round, a coordinator for their own area.
rules.add_perm("agreements.open_round", is_admin)
rules.add_perm("agreements.open_own", is_coordinator)
# The round's catalogue of funding streams is kept by the national team.
rules.add_perm("agreements.manage_funding_catalogue", is_admin)
# The figures of statutory education targets arrive from DCSF and are loaded by the
# national team.
rules.add_perm("agreements.load_statutory_values", is_admin)
