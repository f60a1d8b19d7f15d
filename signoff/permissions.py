"""Who may record which signature, as `rules` predicates. The object is a `Slot`: the
agreement, the step of the chain and the organisation signed for, as a partner's
signature depends on whom its representative speaks for.

`signer` is the same rule loaded once for a list of agreements (a person's work); the
permission table test holds the two together."""

from __future__ import annotations

from typing import NamedTuple

import rules

from accounts.models import Organisation
from accounts.permissions import is_admin, is_coordinator, is_partner
from agreements.permissions import is_areas_go, is_own_coordinator
from partners.models import PartnerRepresentative
from signoff.models import StepKind


class Slot(NamedTuple):
    agreement: object
    kind: str
    organisation: Organisation


def _at_step(kind: str):
    @rules.predicate(name=f"at_{kind}_step")
    def predicate(user, slot) -> bool:
        return slot is not None and slot.kind == kind

    return predicate


at_partners_step = _at_step(StepKind.PARTNERS)
at_council_step = _at_step(StepKind.COUNCIL)
at_go_step = _at_step(StepKind.GO)
at_minister_step = _at_step(StepKind.MINISTER)


@rules.predicate
def coordinates_slots_area(user, slot) -> bool:
    return slot is not None and is_own_coordinator.test(user, slot.agreement)


@rules.predicate
def is_slots_go(user, slot) -> bool:
    return slot is not None and is_areas_go.test(user, slot.agreement)


@rules.predicate
def represents_slots_partner(user, slot) -> bool:
    return (
        slot is not None
        and PartnerRepresentative.objects.filter(
            user=user,
            partnership__area_id=slot.agreement.area_id,
            partnership__organisation_id=slot.organisation.pk,
        ).exists()
    )


# A partner's own representative signs for it, or the coordinator records it on the
# partner's behalf; the council's adoption is recorded by its coordinator; the GO's
# recommendation by its negotiator; the Minister's signature by the national team.
may_sign = (
    (at_partners_step & (coordinates_slots_area | (is_partner & represents_slots_partner)))
    | (at_council_step & coordinates_slots_area)
    | (at_go_step & is_slots_go)
    | (at_minister_step & is_admin)
)
rules.add_perm("signoff.sign_for", may_sign)


def may_sign_for(user, agreement, kind: str, organisation: Organisation) -> bool:
    return user.has_perm("signoff.sign_for", Slot(agreement, kind, organisation))


def signer(user):
    """`signoff.sign_for` for many agreements at once: what it needs to know about the
    person (their area, the partners they represent) is read once."""
    if not (user.is_authenticated and user.is_active):
        return lambda agreement, kind, organisation: False
    own_area = (
        user.organisation.area_id
        if is_coordinator.test(user) and user.organisation_id is not None
        else None
    )
    represented = (
        set(
            PartnerRepresentative.objects.filter(user=user).values_list(
                "partnership__area_id", "partnership__organisation_id"
            )
        )
        if is_partner.test(user)
        else set()
    )

    def check(agreement, kind: str, organisation: Organisation) -> bool:
        coordinates = own_area is not None and own_area == agreement.area_id
        if kind == StepKind.PARTNERS:
            return coordinates or (agreement.area_id, organisation.pk) in represented
        if kind == StepKind.COUNCIL:
            return coordinates
        if kind == StepKind.GO:
            return is_areas_go.test(user, agreement)
        if kind == StepKind.MINISTER:
            return is_admin.test(user)
        return False

    return check
