"""Who is told about an agreement: active people on each side, chosen by role, each once."""

from accounts.models import User
from core.people import (
    area_coordinators,
    coordinators,
    department_people,
    go_people,
    locality_people,
    national_admins,
    partner_people,
)
from core.roles import Role
from partners.models import PartnerRepresentative, Partnership


def _carlisle(agreement) -> Partnership:
    return Partnership.objects.get(area=agreement.area, organisation__name="Carlisle City Council")


def test_the_go_people_are_the_negotiators_of_the_areas_government_office(agreement, negotiator):
    people = go_people(agreement)
    assert negotiator in people
    assert {(p.role, p.organisation_id) for p in people} == {
        (Role.NEGOTIATOR, agreement.area.government_office_id)
    }


def test_inactive_people_are_not_told(agreement, negotiator, coordinator):
    User.objects.filter(pk__in=[negotiator.pk, coordinator.pk]).update(is_active=False)
    assert negotiator not in go_people(agreement)
    assert coordinator not in locality_people(agreement)


def test_the_locality_is_its_coordinators_then_each_partner_once(
    agreement, coordinator, coordinator2, partner
):
    PartnerRepresentative.objects.create(partnership=_carlisle(agreement), user=partner)
    people = locality_people(agreement)
    assert people.count(partner) == 1  # speaks for two partners of the area
    assert people.index(coordinator) < people.index(partner)
    assert coordinator2 not in people  # another area's coordinator
    assert {p.role for p in people} <= {Role.COORDINATOR, Role.PARTNER}


def test_partner_people_of_named_partners_only(agreement, partner):
    own = partner.representations.get(partnership__area=agreement.area).partnership.organisation
    assert partner in partner_people(agreement, [own])
    assert partner not in partner_people(agreement, [_carlisle(agreement).organisation])


def test_coordinators_of_one_area_or_several(agreement, coordinator, coordinator2):
    assert coordinator in area_coordinators(agreement)
    assert coordinator2 not in area_coordinators(agreement)
    areas = [coordinator.organisation.area_id, coordinator2.organisation.area_id]
    assert {coordinator, coordinator2} <= set(coordinators(areas))


def test_department_officials_and_national_admins(official, admin_user, negotiator):
    officials = department_people([official.organisation])
    assert official in officials
    assert {p.organisation_id for p in officials} == {official.organisation_id}
    assert admin_user in national_admins()
    assert negotiator not in national_admins()
