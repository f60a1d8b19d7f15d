"""An organisation's people page, changing a role, removing and restoring access."""

import pytest
from django.test import Client
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from people.services import placement_fingerprint
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_organisation_page_shows_role_sign_in_second_factor_and_invitation(world, client):
    coordinator = world.people["coordinator_a"]
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    client.force_login(world.people["negotiator_a"])
    organisation = world.organisations["locality_a"]
    client.post(
        f"/people/{organisation.slug}/invite/",
        {"full_name": "Ivy Invited", "email": "ivy@example.org", "role": "coordinator"},
    )
    response = client.get(f"/people/{organisation.slug}/")
    assert response.status_code == 200
    people = {person.email: person for person in response.context["people"]}
    assert set(people) == {coordinator.email, "ivy@example.org"}
    for person in people.values():
        assert person.has_second_factor == user_has_device(person)
    assert people[coordinator.email].has_second_factor
    assert people["ivy@example.org"].latest_invitation.state == "pending"
    body = response.content.decode()
    assert "Set up" in body and "Not set up" in body
    assert "Invited" in body and "LAA coordinator" in body
    person_page = client.get(f"/people/person/{coordinator.pk}/")
    assert person_page.context["has_second_factor"] is True
    assert 'data-testid="second-factor">Set up' in person_page.content.decode()


def test_the_organisation_page_reads_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    organisation = world.organisations["locality_a"]
    client.force_login(world.people["negotiator_a"])
    client.get(f"/people/{organisation.slug}/")  # warm the session
    with django_assert_max_num_queries(20) as few:
        client.get(f"/people/{organisation.slug}/")
    UserFactory.create_batch(10, coordinator=True, organisation=organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/people/{organisation.slug}/")


def test_a_negotiator_moves_a_coordinator_within_the_gos_areas(world, client):
    person = world.people["coordinator_a"]
    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/person/{person.pk}/change/",
        {
            "organisation": world.organisations["locality_a2"].pk,
            "role": "coordinator",
            "expected": placement_fingerprint(person),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == world.organisations["locality_a2"]
    event = SecurityEvent.objects.get(kind="role_changed", subject=person)
    assert event.actor == world.people["negotiator_a"]
    record = person.history.latest()
    assert record.history_user == world.people["negotiator_a"]
    assert record.history_change_reason.startswith("Role changed")


def test_a_move_out_of_reach_is_refused(world, client):
    person = world.people["coordinator_a"]
    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/person/{person.pk}/change/",
        {
            "organisation": world.organisations["locality_b"].pk,
            "role": "coordinator",
            "expected": placement_fingerprint(person),
        },
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    person.refresh_from_db()
    assert person.organisation == world.organisations["locality_a"]


def test_a_role_must_suit_the_organisation(world, client):
    person = world.people["official_1"]
    client.force_login(world.people["admin"])
    response = client.post(
        f"/people/person/{person.pk}/change/",
        {
            "organisation": world.organisations["go_a"].pk,
            "role": "official",
            "expected": placement_fingerprint(person),
        },
    )
    assert response.status_code == 400
    assert "cannot belong to" in response.content.decode()
    response = client.post(
        f"/people/person/{person.pk}/change/",
        {
            "organisation": world.organisations["go_a"].pk,
            "role": "negotiator",
            "expected": placement_fingerprint(person),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.organisation) == ("negotiator", world.organisations["go_a"])


def test_a_change_made_meanwhile_is_a_conflict(world, client):
    person = world.people["coordinator_a"]
    started_from = placement_fingerprint(person)
    client.force_login(world.people["admin"])
    assert (
        client.post(
            f"/people/person/{person.pk}/remove-access/", {"expected": started_from}
        ).status_code
        == 302
    )
    client.force_login(world.people["negotiator_a"])
    # The negotiator's form began before the admin removed the access.
    response = client.post(
        f"/people/person/{person.pk}/change/",
        {
            "organisation": world.organisations["locality_a2"].pk,
            "role": "coordinator",
            "expected": started_from,
        },
    )
    assert response.status_code == 409
    assert "Someone else changed this" in response.content.decode()
    person.refresh_from_db()
    assert person.organisation == world.organisations["locality_a"]


def test_a_removed_person_is_signed_out_at_the_next_request_and_cannot_sign_in(world, client):
    person = world.people["coordinator_a"]
    own = Client()
    own.force_login(person)
    assert own.get("/").status_code == 200

    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/person/{person.pk}/remove-access/",
        {"expected": placement_fingerprint(person)},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active

    next_request = own.get("/")
    assert next_request.status_code == 302
    assert next_request["Location"].startswith("/sign-in/")
    refused = Client()
    refused.post("/sign-in/", {"username": person.email, "password": "demo-password"})
    assert "_auth_user_id" not in refused.session
    assert refused.get("/").status_code == 302

    event = SecurityEvent.objects.get(kind="deactivated", subject=person)
    assert event.actor == world.people["negotiator_a"]
    assert person.history.latest().history_change_reason == "Access removed"

    response = client.post(
        f"/people/person/{person.pk}/restore-access/",
        {"expected": placement_fingerprint(person)},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    assert SecurityEvent.objects.filter(kind="reactivated", subject=person).exists()
    assert own.get("/").status_code == 302  # the old session stays ended
    again = Client()
    again.post("/sign-in/", {"username": person.email, "password": "demo-password"})
    assert again.get("/").status_code == 200


def test_the_person_page_lists_the_security_log_and_history(world, client):
    person = world.people["partner_a"]
    client.force_login(world.people["coordinator_a"])
    client.post(
        f"/people/person/{person.pk}/remove-access/",
        {"expected": placement_fingerprint(person)},
    )
    body = client.get(f"/people/person/{person.pk}/").content.decode()
    assert "Access removed" in body
    assert world.people["coordinator_a"].get_full_name() in body
    assert "Restore access" in body


def test_nobody_removes_their_own_access(world, client):
    admin = world.people["admin"]
    client.force_login(admin)
    assert client.get(f"/people/person/{admin.pk}/").status_code == 200
    assert client.get(f"/people/person/{admin.pk}/remove-access/").status_code == 404
