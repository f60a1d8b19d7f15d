"""Who may invite whom, and who may change, remove or restore whose access: literal tables,
asked of the rules, of the pages (every refusal answers 404) and of the lists."""

import pytest
from django.http import Http404

from accounts.models import User
from people.permissions import Placement
from people.selectors import organisations_for_user, person_get_for_user

pytestmark = pytest.mark.django_db

ACTORS = [
    "admin",
    "negotiator_a",
    "negotiator_b",
    "coordinator_a",
    "coordinator_b",
    "partner_a",
    "lead_1",
    "official_1",
    "official_2",
]

PLACEMENTS = [
    ("national", "admin"),
    ("go_a", "negotiator"),
    ("go_b", "negotiator"),
    ("locality_a", "coordinator"),
    ("locality_a2", "coordinator"),
    ("locality_b", "coordinator"),
    ("partner_a", "partner"),
    ("partner_b", "partner"),
    ("department_1", "official"),
    ("department_2", "official"),
    # A role in the wrong kind of organisation: nobody may invite into it.
    ("locality_a", "partner"),
    ("go_a", "official"),
]

# Who may invite into which placement (organisation, role).
MAY_INVITE = {
    "admin": {
        ("national", "admin"),
        ("go_a", "negotiator"),
        ("go_b", "negotiator"),
        ("locality_a", "coordinator"),
        ("locality_a2", "coordinator"),
        ("locality_b", "coordinator"),
        ("partner_a", "partner"),
        ("partner_b", "partner"),
        ("department_1", "official"),
        ("department_2", "official"),
    },
    "negotiator_a": {("locality_a", "coordinator"), ("locality_a2", "coordinator")},
    "negotiator_b": {("locality_b", "coordinator")},
    "coordinator_a": {("partner_a", "partner")},
    "coordinator_b": {("partner_b", "partner")},
    "partner_a": set(),
    "lead_1": {("department_1", "official")},
    "official_1": set(),
    "official_2": set(),
}

PEOPLE = [
    "admin",
    "admin_2",
    "negotiator_a",
    "negotiator_b",
    "coordinator_a",
    "coordinator_b",
    "partner_a",
    "partner_b",
    "lead_1",
    "official_1",
    "official_2",
]

# Whose role each may change, and whose access each may remove or restore.
MAY_MANAGE = {
    "admin": set(PEOPLE) - {"admin"},
    "negotiator_a": {"coordinator_a"},
    "negotiator_b": {"coordinator_b"},
    "coordinator_a": {"partner_a"},
    "coordinator_b": {"partner_b"},
    "partner_a": set(),
    "lead_1": {"official_1"},
    "official_1": set(),
    "official_2": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_invite_whom(world, actor):
    user = world.people[actor]
    allowed = {
        (organisation, role)
        for organisation, role in PLACEMENTS
        if user.has_perm("people.invite", Placement(world.organisations[organisation], role))
    }
    assert allowed == MAY_INVITE[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_manage_whom(world, actor):
    user = world.people[actor]
    allowed = {name for name in PEOPLE if user.has_perm("people.manage_person", world.people[name])}
    assert allowed == MAY_MANAGE[actor]


@pytest.mark.parametrize("actor", ACTORS)
def test_invitation_pages_answer_404_outside_reach(world, client, actor):
    client.force_login(world.people[actor])
    reached = {organisation for organisation, _ in MAY_INVITE[actor]}
    for name, organisation in world.organisations.items():
        url = f"/people/{organisation.slug}/invite/"
        expected = 200 if name in reached else 404
        assert client.get(url).status_code == expected, (actor, name)
        assert client.get(f"/people/{organisation.slug}/").status_code == expected, (actor, name)


@pytest.mark.parametrize("actor", ACTORS)
def test_person_pages_answer_404_outside_reach(world, client, actor):
    client.force_login(world.people[actor])
    for name in PEOPLE:
        person = world.people[name]
        allowed = name in MAY_MANAGE[actor]
        for action in ("change", "remove-access", "restore-access"):
            response = client.get(f"/people/person/{person.pk}/{action}/")
            assert response.status_code == (200 if allowed else 404), (actor, name, action)
        if not allowed:
            response = client.post(
                f"/people/person/{person.pk}/remove-access/",
                {"expected": f"{person.role}:{person.organisation_id}:1"},
            )
            assert response.status_code == 404
            person.refresh_from_db()
            assert person.is_active


def test_refused_invitation_post_changes_nothing(world, client):
    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/{world.organisations['locality_b'].slug}/invite/",
        {"full_name": "Out Of Reach", "email": "out@example.org", "role": "coordinator"},
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="out@example.org").exists()


@pytest.mark.parametrize("actor", ACTORS)
def test_lists_keep_to_the_rules(world, actor):
    """The lists of organisations and people filter by the same reach as the rules."""
    user = world.people[actor]
    listed = set(organisations_for_user(user))
    for name, organisation in world.organisations.items():
        assert (organisation in listed) == user.has_perm(
            "people.view_organisation", organisation
        ), (actor, name)
    for name in PEOPLE:
        person = world.people[name]
        try:
            person_get_for_user(user, person.pk)
            visible = True
        except Http404:
            visible = False
        may = user.has_perm("people.manage_person", person) or (
            actor == "admin" and name == "admin"
        )
        assert visible == may, (actor, name)


def test_people_appear_in_navigation_for_those_who_invite(world, client):
    for actor in ACTORS:
        client.force_login(world.people[actor])
        shown = 'href="/people/"' in client.get("/").content.decode()
        assert shown == bool(MAY_INVITE[actor]), actor
