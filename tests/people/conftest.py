"""A small world for the people tests: two GOs with an area each, a partner in each area,
two departments (one with its LAA lead) and the national team, one person of each kind."""

from dataclasses import dataclass

import pytest

from accounts.models import Organisation, User
from freedoms.models import PolicyOwner
from tests.factories import AreaFactory, OrganisationFactory, PartnershipFactory, UserFactory


@dataclass
class World:
    organisations: dict[str, Organisation]
    people: dict[str, User]


@pytest.fixture
def world(db) -> World:
    area_a = AreaFactory(name="Aville", slug="aville")
    area_b = AreaFactory(name="Beeshire", slug="beeshire")
    locality_a = area_a.organisations.get(kind=Organisation.Kind.LOCALITY)
    locality_b = area_b.organisations.get(kind=Organisation.Kind.LOCALITY)
    # A second lead council under A's GO, for moving a coordinator within the GO's reach.
    area_a2 = AreaFactory(name="Aton", slug="aton", government_office=area_a.government_office)
    partner_a = PartnershipFactory(area=area_a).organisation
    partner_b = PartnershipFactory(area=area_b).organisation
    department_1 = OrganisationFactory(department=True)
    department_2 = OrganisationFactory(department=True)
    national = Organisation.objects.get(kind=Organisation.Kind.NATIONAL_TEAM)
    organisations = {
        "go_a": area_a.government_office,
        "go_b": area_b.government_office,
        "locality_a": locality_a,
        "locality_a2": area_a2.organisations.get(kind=Organisation.Kind.LOCALITY),
        "locality_b": locality_b,
        "partner_a": partner_a,
        "partner_b": partner_b,
        "department_1": department_1,
        "department_2": department_2,
        "national": national,
    }
    people = {
        "admin": UserFactory(admin=True, organisation=national),
        "admin_2": UserFactory(admin=True, organisation=national),
        "negotiator_a": UserFactory(negotiator=True, organisation=area_a.government_office),
        "negotiator_b": UserFactory(negotiator=True, organisation=area_b.government_office),
        "coordinator_a": UserFactory(coordinator=True, organisation=locality_a),
        "coordinator_b": UserFactory(coordinator=True, organisation=locality_b),
        "partner_a": UserFactory(partner=True, organisation=partner_a),
        "partner_b": UserFactory(partner=True, organisation=partner_b),
        "lead_1": UserFactory(official=True, organisation=department_1),
        "official_1": UserFactory(official=True, organisation=department_1),
        "official_2": UserFactory(official=True, organisation=department_2),
    }
    PolicyOwner.objects.create(department=department_1, user=people["lead_1"], is_laa_lead=True)
    return World(organisations, people)
