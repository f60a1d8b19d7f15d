"""Naming partners in an area and inviting the people who represent them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from accounts.models import Organisation, Role, User
from agreements.models import Agreement
from agreements.stages import Stage
from core.errors import ServiceError
from partners.models import AccessLevel, PartnerRepresentative, Partnership, PartnerType


def _require_manage(agreement: Agreement, actor: User) -> None:
    if not actor.has_perm("agreements.manage_partners", agreement):
        raise PermissionDenied


def partner_add(*, agreement: Agreement, actor: User, name: str, partner_type: str) -> Partnership:
    """Name a partner in the agreement's area, creating the organisation if it is new."""
    _require_manage(agreement, actor)
    name = name.strip()
    if not name:
        raise ServiceError("Give the partner's name.", field="name")
    if partner_type not in PartnerType.values:
        raise ServiceError("Choose the kind of partner.", field="partner_type")
    if Agreement.objects.filter(area_id=agreement.area_id, stage=Stage.IN_SIGN_OFF).exists():
        # The partners are the signatories of the sign-off under way.
        raise ServiceError(
            "Partners cannot be added while the agreement is in sign-off: take it back from "
            "sign-off first (every signature made so far becomes void)."
        )
    with transaction.atomic():
        organisation = Organisation.objects.filter(
            kind=Organisation.Kind.PARTNER, name__iexact=name
        ).first()
        if organisation is None:
            base = slugify(name)[:100] or "partner"
            slug, n = base, 1
            while Organisation.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            organisation = Organisation(kind=Organisation.Kind.PARTNER, name=name, slug=slug)
            organisation._history_user = actor
            organisation.save()
        partnership, created = Partnership.objects.get_or_create(
            area=agreement.area,
            organisation=organisation,
            defaults={"partner_type": partner_type},
        )
        if not created:
            raise ServiceError(f"{organisation} is already a partner in {agreement.area}.")
    return partnership


def representative_invite(
    *,
    agreement: Agreement,
    actor: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    access: str,
    base_url: str,
) -> PartnerRepresentative:
    """Give a person rights on the area's draft for a partner; a new person gets an account
    and an e-mail with a link to choose a password."""
    _require_manage(agreement, actor)
    if partnership.area_id != agreement.area_id:
        raise ServiceError("That partner is not named in this area.", field="partnership")
    if access not in AccessLevel.values:
        raise ServiceError("Choose what they may do.", field="access")
    email = email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        is_new = user is None
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=None,
                full_name=full_name.strip(),
                role=Role.PARTNER,
                organisation=partnership.organisation,
            )
        elif user.role != Role.PARTNER or user.organisation_id != partnership.organisation_id:
            raise ServiceError(
                f"{email} already has an account for another organisation or role. "
                "Ask the national LAA team."
            )
        representative, _ = PartnerRepresentative.objects.update_or_create(
            partnership=partnership,
            user=user,
            defaults={"access": access, "invited_by": actor},
        )
        transaction.on_commit(
            lambda: _send_invitation(user, agreement, actor, base_url, is_new=is_new)
        )
    return representative


def _send_invitation(user: User, agreement: Agreement, actor: User, base_url: str, *, is_new):
    if is_new:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url + reverse("password_reset_confirm", args=[uid, token])
        action = f"Choose a password to sign in:\n{link}"
    else:
        action = f"Sign in at {base_url}{reverse('login')}"
    send_mail(
        subject=f"You have been invited to the {agreement.area} Local Area Agreement",
        message=(
            f"{actor.get_full_name()} has invited you to take part in the draft "
            f"{agreement.round} agreement for {agreement.area} on the LAA Portal.\n\n{action}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
