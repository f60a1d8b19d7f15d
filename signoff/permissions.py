"""Who may record which signature. Plain functions, as the chain's steps need the
organisation signed for as well as the agreement."""

from __future__ import annotations

from accounts.models import Organisation, Role
from partners.models import PartnerRepresentative
from signoff.models import StepKind


def signer(user):
    """A check of which signatures this user may record (see `may_sign_for`), loading what
    it needs once so it can be asked about many agreements: a partner's own representative,
    or the coordinator recording it on the partner's behalf; the council's adoption by its
    coordinator; the GO's recommendation by its negotiator; the Minister's signature by the
    national team."""
    if not (user.is_authenticated and user.is_active):
        return lambda agreement, kind, organisation: False
    own_area = (
        user.organisation.area_id
        if user.role == Role.COORDINATOR and user.organisation_id is not None
        else None
    )
    represented = (
        set(
            PartnerRepresentative.objects.filter(user=user).values_list(
                "partnership__area_id", "partnership__organisation_id"
            )
        )
        if user.role == Role.PARTNER
        else set()
    )

    def check(agreement, kind: str, organisation: Organisation) -> bool:
        is_coordinator = own_area is not None and own_area == agreement.area_id
        if kind == StepKind.PARTNERS:
            return is_coordinator or (agreement.area_id, organisation.pk) in represented
        if kind == StepKind.COUNCIL:
            return is_coordinator
        if kind == StepKind.GO:
            return (
                user.role == Role.NEGOTIATOR
                and user.organisation_id == agreement.area.government_office_id
            )
        if kind == StepKind.MINISTER:
            return user.role == Role.ADMIN
        return False

    return check


def may_sign_for(user, agreement, kind: str, organisation: Organisation) -> bool:
    return signer(user)(agreement, kind, organisation)
