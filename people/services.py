"""Inviting people, changing where they are placed, removing and restoring their access.

Every change is one transaction that writes the person's history (who, and why) and a line
of the security log; e-mails go after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, SecurityEvent, User
from accounts.services import security_event_record
from core.errors import ConflictError, ServiceError
from core.roles import Role
from freedoms.models import PolicyOwner
from partners.models import AccessLevel, PartnerRepresentative
from people.models import Invitation
from people.permissions import Placement

Kind = SecurityEvent.Kind


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.INVITATION_EXPIRY_DAYS)


def invitation_link(token: str) -> str:
    return settings.PORTAL_BASE_URL + reverse("invitation_accept", args=[token])


def placement_fingerprint(person: User) -> str:
    """What a change form started from: a save against anything else is a conflict."""
    return f"{person.role}:{person.organisation_id or ''}:{int(person.is_active)}"


def _require(actor: User, perm: str, obj: object) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _check_placement(placement: Placement) -> None:
    if placement.role not in Role.values:
        raise ServiceError("Choose a role.", field="role")
    if not placement.is_consistent:
        raise ServiceError(
            f"A {Role(placement.role).label} cannot belong to {placement.organisation} "
            f"({placement.organisation.get_kind_display()}).",
            field="role",
        )


def _save_person(person: User, actor: User | None, reason: str, fields: list[str]) -> None:
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = reason  # type: ignore[attr-defined]
    person.save(update_fields=fields)


def _send_invitation(invitation: Invitation, token: str, *, again: bool) -> None:
    inviter = invitation.invited_by
    who = inviter.get_full_name() if inviter is not None else "The national LAA team"
    expires = timezone.localtime(invitation.expires_at)
    send_mail(
        subject="Your invitation to the LAA Portal",
        message=(
            f"{who} has invited you to the LAA Portal as {invitation.get_role_display()} "
            f"for {invitation.organisation}.\n\n"
            f"Choose a password to sign in:\n{invitation_link(token)}\n\n"
            f"The link can be used once, until {expires:%-d %B %Y at %H:%M}."
            + (" It replaces the link sent before." if again else "")
            + "\n\nIf you did not expect this, you can ignore this e-mail.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.user.email],
    )


@dataclass(frozen=True)
class PersonToInvite:
    full_name: str
    email: str
    organisation: Organisation
    role: str
    # The department's LAA lead (an official only; only an admin appoints one).
    laa_lead: bool = False


def _invite_one(
    *, actor: User, person: PersonToInvite, request: HttpRequest | None, now: dt.datetime
) -> Invitation:
    placement = Placement(person.organisation, person.role)
    _check_placement(placement)
    _require(actor, "people.invite", placement)
    email = person.email.strip().lower()
    full_name = person.full_name.strip()
    if not full_name:
        raise ServiceError("Enter the person's name.", field="full_name")
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User(
            email=email,
            full_name=full_name,
            organisation=person.organisation,
            role=person.role,
            password=make_password(None),
        )
        user._history_user = actor  # type: ignore[attr-defined]
        user._change_reason = "Invited"  # type: ignore[attr-defined]
        user.save()
    else:
        # Someone who never used an invitation (revoked or expired) may be invited again;
        # anyone else already has an account.
        if user.has_usable_password() or user.last_login is not None:
            raise ServiceError(f"{email} already has an account.", field="email")
        if Invitation.objects.filter(
            user=user, accepted_at__isnull=True, revoked_at__isnull=True
        ).exists():
            raise ServiceError(
                f"{email} has been invited already: send the invitation again from their page.",
                field="email",
            )
        user.full_name = full_name
        user.organisation = person.organisation
        user.role = person.role
        user.is_active = True
        _save_person(
            user, actor, "Invited again", ["full_name", "organisation", "role", "is_active"]
        )
    token, hashed = _new_token()
    invitation = Invitation.objects.create(
        user=user,
        organisation=person.organisation,
        role=person.role,
        invited_by=actor,
        token_hash=hashed,
        sent_at=now,
        expires_at=_expiry(now),
    )
    if person.role == Role.PARTNER:
        _represent_partner(user, actor)
    if person.laa_lead:
        _appoint_laa_lead(user, person.organisation, actor)
    security_event_record(
        kind=Kind.INVITATION_SENT,
        request=request,
        actor=actor,
        subject=user,
        detail=f"as {'LAA lead ' if person.laa_lead else ''}{person.role} "
        f"of {person.organisation.slug}",
    )
    transaction.on_commit(lambda: _send_invitation(invitation, token, again=False))
    return invitation


def _appoint_laa_lead(user: User, department: Organisation, actor: User) -> None:
    _require(actor, "people.appoint_laa_lead", None)
    if user.role != Role.OFFICIAL:
        raise ServiceError("Only a department official can be its LAA lead.", field="laa_lead")
    current = (
        PolicyOwner.objects.select_for_update()
        .filter(department=department, is_laa_lead=True)
        .select_related("user")
        .first()
    )
    if current is not None:
        raise ServiceError(
            f"{current.user} is already the LAA lead of {department}.", field="laa_lead"
        )
    lead = PolicyOwner(department=department, user=user, is_laa_lead=True)
    lead._history_user = actor
    lead.save()


def _represent_partner(user: User, actor: User) -> None:
    """A partner's representative may view the draft of each area where the inviter
    reaches the partner (a coordinator's own area; every area for an admin)."""
    partnerships = user.organisation.partnerships.all() if user.organisation else []
    area_id = actor.organisation.area_id if actor.organisation else None
    for partnership in partnerships:
        if actor.role == Role.COORDINATOR and partnership.area_id != area_id:
            continue
        PartnerRepresentative.objects.get_or_create(
            partnership=partnership,
            user=user,
            defaults={"access": AccessLevel.VIEW, "invited_by": actor},
        )


def invitation_create(
    *,
    actor: User,
    full_name: str,
    email: str,
    organisation: Organisation,
    role: str,
    laa_lead: bool = False,
    request: HttpRequest | None = None,
) -> Invitation:
    """Invite one person into a placement within the actor's reach: the account is made
    without a password, and the e-mail carries the single-use link. An admin may invite an
    official as the department's LAA lead."""
    with transaction.atomic():
        return _invite_one(
            actor=actor,
            person=PersonToInvite(full_name, email, organisation, role, laa_lead),
            request=request,
            now=timezone.now(),
        )


def invitations_create(
    *, actor: User, people: Sequence[PersonToInvite], request: HttpRequest | None = None
) -> list[Invitation]:
    """Invite everyone or, if any one of them cannot be invited, nobody."""
    _require(actor, "people.import_people", None)
    now = timezone.now()
    with transaction.atomic():
        return [
            _invite_one(actor=actor, person=person, request=request, now=now) for person in people
        ]


def _locked_open_invitation(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update(of=("self",)).select_related(
        "user", "organisation"
    )
    current = locked.get(pk=invitation.pk)
    if not current.is_open:
        raise ServiceError(
            "This invitation has been accepted or revoked already, so it cannot be changed."
        )
    return current


def invitation_resend(
    *, invitation: Invitation, actor: User, request: HttpRequest | None = None
) -> Invitation:
    """A new link with a new expiry; the link sent before stops working."""
    _require(actor, "people.manage_person", invitation.user)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        token, hashed = _new_token()
        now = timezone.now()
        invitation.token_hash = hashed
        invitation.sent_at = now
        invitation.expires_at = _expiry(now)
        invitation.times_sent += 1
        invitation._history_user = actor
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "times_sent"])
        security_event_record(
            kind=Kind.INVITATION_RESENT, request=request, actor=actor, subject=invitation.user
        )
        sent = invitation
        transaction.on_commit(lambda: _send_invitation(sent, token, again=True))
    return invitation


def invitation_revoke(
    *, invitation: Invitation, actor: User, request: HttpRequest | None = None
) -> Invitation:
    """The link stops working, and the account, never used, loses its access."""
    _require(actor, "people.manage_person", invitation.user)
    with transaction.atomic():
        invitation = _locked_open_invitation(invitation)
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        invitation._history_user = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        person = User.objects.select_for_update().get(pk=invitation.user_id)
        if person.is_active:
            person.is_active = False
            _save_person(person, actor, "Invitation revoked", ["is_active"])
        security_event_record(
            kind=Kind.INVITATION_REVOKED, request=request, actor=actor, subject=person
        )
    return invitation


class InvitationUnusable(ServiceError):
    """The link cannot be used: `state` says why (accepted, revoked, expired, or unknown)."""

    def __init__(self, state: str):
        self.state = state
        super().__init__("This invitation link cannot be used.")


def invitation_usable(token: str) -> Invitation:
    """The open invitation the link names; refuses with InvitationUnusable otherwise."""
    invitation = (
        Invitation.objects.select_related("user", "organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return _usable(invitation)


def _usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationUnusable("unknown")
    state = invitation.state
    if state != Invitation.State.PENDING:
        raise InvitationUnusable(state)
    if not invitation.user.is_active:
        raise InvitationUnusable(Invitation.State.REVOKED)
    return invitation


def invitation_accept(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """The invited person's password is set (checked by the password validators in the
    form) and the invitation used up: the same link never works twice."""
    with transaction.atomic():
        invitation = _usable(
            Invitation.objects.select_for_update(of=("self",))
            .select_related("user", "organisation")
            .filter(token_hash=token_hash(token))
            .first()
        )
        person = User.objects.select_for_update().get(pk=invitation.user_id)
        invitation.accepted_at = timezone.now()
        invitation._history_user = person
        invitation.save(update_fields=["accepted_at"])
        person.set_password(password)
        _save_person(person, person, "Accepted the invitation", ["password"])
        security_event_record(
            kind=Kind.INVITATION_ACCEPTED, request=request, actor=person, subject=person
        )
    return person


def person_change_placement(
    *,
    person: User,
    actor: User,
    organisation: Organisation,
    role: str,
    expected: str,
    request: HttpRequest | None = None,
) -> User:
    """Move a person to another role or organisation; both where they are and where they
    go must be within the actor's reach."""
    _require(actor, "people.manage_person", person)
    placement = Placement(organisation, role)
    _check_placement(placement)
    _require(actor, "people.invite", placement)
    with transaction.atomic():
        locked = User.objects.select_for_update(of=("self",)).select_related("organisation")
        current = locked.get(pk=person.pk)
        if placement_fingerprint(current) != expected:
            raise ConflictError(current)
        if current.organisation_id == organisation.pk and current.role == role:
            raise ServiceError("Choose a different role or organisation.", field="organisation")
        before = f"{current.role or 'no role'} of {getattr(current.organisation, 'slug', '-')}"
        after = f"{role} of {organisation.slug}"
        current.organisation = organisation
        current.role = role
        _save_person(current, actor, f"Role changed: {before} -> {after}", ["organisation", "role"])
        security_event_record(
            kind=Kind.ROLE_CHANGED,
            request=request,
            actor=actor,
            subject=current,
            detail=f"{before} -> {after}",
        )
    return current


def _set_active(
    *, person: User, actor: User, active: bool, expected: str, request: HttpRequest | None
) -> User:
    _require(actor, "people.manage_person", person)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=person.pk)
        if placement_fingerprint(current) != expected:
            raise ConflictError(current)
        current.is_active = active
        _save_person(
            current, actor, "Access restored" if active else "Access removed", ["is_active"]
        )
        security_event_record(
            kind=Kind.REACTIVATED if active else Kind.DEACTIVATED,
            request=request,
            actor=actor,
            subject=current,
        )
    return current


def person_deactivate(
    *, person: User, actor: User, expected: str, request: HttpRequest | None = None
) -> User:
    """The person can no longer sign in, and a session they have ends at its next request
    (the sign-in backend reads only active people); their name stays on their records."""
    return _set_active(person=person, actor=actor, active=False, expected=expected, request=request)


def person_reactivate(
    *, person: User, actor: User, expected: str, request: HttpRequest | None = None
) -> User:
    return _set_active(person=person, actor=actor, active=True, expected=expected, request=request)
