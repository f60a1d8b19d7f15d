"""An invitation from sending to accepting: the link, its single use, its expiry,
sending again and revoking; every state of a used link gives a clear page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.models import SecurityEvent, User
from people.models import Invitation
from people.permissions import Placement
from people.services import invitation_create, invitation_resend, invitation_revoke

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase 93"


def _link(message) -> str:
    match = re.search(r"(https?://\S+/invitations/(\S+)/)", message.body)
    assert match, message.body
    return match.group(1)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def invited(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=world.people["negotiator_a"],
            full_name="Nia Newcomer",
            email="Nia.Newcomer@Example.org",
            organisation=world.organisations["locality_a"],
            role="coordinator",
        )
    return invitation


@override_settings(PORTAL_BASE_URL="https://laa.example.org")
def test_invitation_makes_an_account_without_a_password_and_mails_an_absolute_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=world.people["negotiator_a"],
            full_name="Nia Newcomer",
            email="Nia.Newcomer@Example.org",
            organisation=world.organisations["locality_a"],
            role="coordinator",
        )
    person = invitation.user
    assert person.email == "nia.newcomer@example.org"
    assert person.role == "coordinator"
    assert person.organisation == world.organisations["locality_a"]
    assert not person.has_usable_password()
    assert invitation.state == Invitation.State.PENDING
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=7)
    (message,) = mail.outbox
    assert message.to == ["nia.newcomer@example.org"]
    assert _link(message).startswith("https://laa.example.org/invitations/")
    # Only a hash of the token is kept.
    token = _link(message).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    event = SecurityEvent.objects.get(kind="invitation_sent", subject=person)
    assert event.actor == world.people["negotiator_a"]
    assert person.history.latest().history_change_reason == "Invited"


@override_settings(INVITATION_EXPIRY_DAYS=2)
def test_expiry_follows_the_setting(world):
    invitation = invitation_create(
        actor=world.people["admin"],
        full_name="Short Lived",
        email="short@example.org",
        organisation=world.organisations["go_a"],
        role="negotiator",
    )
    assert invitation.expires_at - invitation.sent_at == dt.timedelta(days=2)


def test_accepting_sets_a_validated_password_and_signs_in(invited, client):
    path = _path(_link(mail.outbox[0]))
    page = client.get(path)
    assert page.status_code == 200
    assert "nia.newcomer@example.org" in page.content.decode()

    weak = client.post(path, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    assert "govuk-error-summary" in weak.content.decode()
    invited.refresh_from_db()
    assert invited.accepted_at is None

    response = client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"].email == "nia.newcomer@example.org"
    person = User.objects.get(email="nia.newcomer@example.org")
    assert person.check_password(GOOD_PASSWORD)
    assert SecurityEvent.objects.filter(kind="invitation_accepted", subject=person).exists()
    invited.refresh_from_db()
    assert invited.state == Invitation.State.ACCEPTED


def test_a_used_link_gives_a_clear_page(invited, client):
    path = _path(_link(mail.outbox[0]))
    client.post(path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    posted = client.post(
        path,
        {"new_password1": "another passphrase 1234", "new_password2": "another passphrase 1234"},
    )
    assert posted.status_code == 410
    assert User.objects.get(email="nia.newcomer@example.org").check_password(GOOD_PASSWORD)


def test_a_late_link_gives_a_clear_page(invited, client):
    Invitation.objects.filter(pk=invited.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    path = _path(_link(mail.outbox[0]))
    response = client.get(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert (
        client.post(
            path, {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
        ).status_code
        == 410
    )
    assert not User.objects.get(email="nia.newcomer@example.org").has_usable_password()


def test_a_revoked_link_gives_a_clear_page_and_the_account_no_access(world, invited, client):
    invitation_revoke(invitation=invited, actor=world.people["negotiator_a"])
    response = client.get(_path(_link(mail.outbox[0])))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    person = User.objects.get(email="nia.newcomer@example.org")
    assert not person.is_active
    assert SecurityEvent.objects.filter(kind="invitation_revoked", subject=person).exists()


def test_an_unknown_link_gives_a_clear_page(db, client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_sending_again_replaces_the_link(
    world, invited, client, django_capture_on_commit_callbacks
):
    first = _path(_link(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invited, actor=world.people["negotiator_a"])
    second = _path(_link(mail.outbox[1]))
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    invited.refresh_from_db()
    assert invited.times_sent == 2
    assert SecurityEvent.objects.filter(kind="invitation_resent", subject=invited.user).exists()


def test_resend_and_revoke_buttons_on_the_person_page(
    world, invited, client, django_capture_on_commit_callbacks
):
    client.force_login(world.people["negotiator_a"])
    page = client.get(f"/people/person/{invited.user_id}/").content.decode()
    assert "Send again" in page and "Revoke" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/invitations/{invited.pk}/send-again/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert client.post(f"/people/invitations/{invited.pk}/revoke/").status_code == 302
    invited.refresh_from_db()
    assert invited.revoked_at is not None
    # Revoked: neither button any more, and a second revoke changes nothing.
    page = client.get(f"/people/person/{invited.user_id}/").content.decode()
    assert "Send again" not in page
    client.post(f"/people/invitations/{invited.pk}/revoke/")
    assert SecurityEvent.objects.filter(kind="invitation_revoked").count() == 1


def test_someone_out_of_reach_cannot_resend_or_revoke(world, invited, client):
    client.force_login(world.people["negotiator_b"])
    assert client.post(f"/people/invitations/{invited.pk}/send-again/").status_code == 404
    assert client.post(f"/people/invitations/{invited.pk}/revoke/").status_code == 404
    invited.refresh_from_db()
    assert invited.is_open and invited.times_sent == 1


def test_an_existing_account_cannot_be_invited_again(world, client):
    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/{world.organisations['locality_a'].slug}/invite/",
        {
            "full_name": "Someone",
            "email": world.people["coordinator_a"].email.upper(),
            "role": "coordinator",
        },
    )
    assert response.status_code == 400
    assert "already has an account" in response.content.decode()


def test_a_revoked_invitation_can_be_made_again(world, invited, client):
    invitation_revoke(invitation=invited, actor=world.people["negotiator_a"])
    client.force_login(world.people["negotiator_a"])
    response = client.post(
        f"/people/{world.organisations['locality_a2'].slug}/invite/",
        {"full_name": "Nia Newcomer", "email": "nia.newcomer@example.org", "role": "coordinator"},
    )
    assert response.status_code == 302
    person = User.objects.get(email="nia.newcomer@example.org")
    assert person.is_active
    assert person.organisation == world.organisations["locality_a2"]
    assert person.invitations.count() == 2


def test_the_invite_form_shows_errors_in_a_summary(world, client):
    client.force_login(world.people["coordinator_a"])
    response = client.post(
        f"/people/{world.organisations['partner_a'].slug}/invite/",
        {"full_name": "", "email": "not an address", "role": "partner"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the person&#x27;s full name" in body
    assert "Enter an email address in the correct format" in body


def test_a_partner_invited_by_a_coordinator_may_view_the_areas_draft(world, client):
    client.force_login(world.people["coordinator_a"])
    client.post(
        f"/people/{world.organisations['partner_a'].slug}/invite/",
        {"full_name": "Pat Partner", "email": "pat@example.org", "role": "partner"},
    )
    person = User.objects.get(email="pat@example.org")
    (representation,) = person.representations.all()
    assert representation.access == "view"
    assert representation.partnership.organisation == world.organisations["partner_a"]


def test_an_admin_invites_a_departments_laa_lead_who_then_invites_its_officials(world, client):
    department = world.organisations["department_2"]
    client.force_login(world.people["admin"])
    form = client.get(f"/people/{department.slug}/invite/").content.decode()
    assert "Make them the department" in form
    response = client.post(
        f"/people/{department.slug}/invite/",
        {
            "full_name": "Lee Lead",
            "email": "lee@example.gov.uk",
            "role": "official",
            "laa_lead": "on",
        },
    )
    assert response.status_code == 302
    lead = User.objects.get(email="lee@example.gov.uk")
    assert lead.owned_policies.get().is_laa_lead
    assert lead.has_perm("people.invite", Placement(department, "official"))

    # A department has one LAA lead: a second is refused, and nobody is invited.
    response = client.post(
        f"/people/{department.slug}/invite/",
        {
            "full_name": "Second",
            "email": "second@example.gov.uk",
            "role": "official",
            "laa_lead": "on",
        },
    )
    assert response.status_code == 400
    assert "already the LAA lead" in response.content.decode()
    assert not User.objects.filter(email="second@example.gov.uk").exists()


def test_only_an_admin_appoints_an_laa_lead(world, client):
    department = world.organisations["department_1"]
    client.force_login(world.people["lead_1"])
    assert (
        "Make them the department"
        not in client.get(f"/people/{department.slug}/invite/").content.decode()
    )
    client.post(
        f"/people/{department.slug}/invite/",
        {
            "full_name": "Olly Official",
            "email": "olly@example.gov.uk",
            "role": "official",
            "laa_lead": "on",
        },
    )
    olly = User.objects.get(email="olly@example.gov.uk")
    assert not olly.owned_policies.exists()
