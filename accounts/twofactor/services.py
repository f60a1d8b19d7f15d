"""Second factors: setting one up, proving it at sign-in, recovery codes, and an
administrator's reset. Every change and every refusal is a line of the security log."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import SecurityEvent, User
from accounts.services import security_event_record
from accounts.sessions.services import sessions_end_all_but

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_APP_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"

# The session's note of whether its person has a second factor to prove ("pending") or
# none ("none"), kept with the person's id so that a session never answers for another
# person. It spares every request a look at the three device tables.
STATE_SESSION_KEY = "laa_second_factor"
STATE_PENDING = "pending"
STATE_NONE = "none"
# Set by single sign-on: the organisation's identity provider has checked the person.
SSO_SESSION_KEY = "laa_signed_in_with_sso"


class SecondFactorLocked(Exception):
    """Too many refused codes: the person must wait, as after refused passwords."""


# --- What a person has (reads) ------------------------------------------------------------


def primary_devices(user: User) -> list[Device]:
    """The person's confirmed authenticator app and passkeys: the factors that count."""
    devices: list[Device] = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    devices += list(WebAuthnCredential.objects.devices_for_user(user, confirmed=True))
    return devices


def has_second_factor(user: User) -> bool:
    return (
        TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
        or WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists()
    )


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_required(user: User) -> bool:
    """Whether the person's role must have a second factor (TWO_FACTOR_REQUIRED_ROLES)."""
    return bool(user.role) and user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def second_factor_locked(user: User) -> bool:
    """Refused codes are counted as refused passwords are: LOGIN_FAILURE_LIMIT refusals
    within LOGIN_LOCKOUT_MINUTES, since the last code accepted, lock the second step."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    last_success = (
        SecurityEvent.objects.filter(
            subject=user, kind=SecurityEvent.Kind.SECOND_FACTOR_VERIFIED, at__gte=since
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last_success is not None:
        since = last_success
    failures = SecurityEvent.objects.filter(
        subject=user, kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, at__gt=since
    ).count()
    return failures >= settings.AXES_FAILURE_LIMIT


def session_state(request: HttpRequest) -> str:
    """ "pending" when the signed-in person has a second factor, "none" otherwise; read from
    the devices once per session and kept in it."""
    user = request.user
    kept = request.session.get(STATE_SESSION_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == user.pk:
        return str(kept[1])
    return session_state_refresh(request)


def session_state_refresh(request: HttpRequest) -> str:
    state = STATE_PENDING if has_second_factor(request.user) else STATE_NONE  # type: ignore[arg-type]
    request.session[STATE_SESSION_KEY] = [request.user.pk, state]
    return state


# --- Writes --------------------------------------------------------------------------------


def totp_device_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app secret for the person (any earlier unconfirmed
    one is dropped, so a half-finished set-up never lingers)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_APP_NAME, confirmed=False)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed secret being set up, or a new one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or totp_device_start(user=user)


def totp_device_confirm(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirms the secret being set up with a code the app shows; the session counts as
    checked, and the person then has a second factor."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or not device.verify_token(token):
            return False
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_ADDED,
            request=request,
            actor=user,
            subject=user,
            detail="authenticator app",
        )
    django_otp.login(request, device)
    request.session[STATE_SESSION_KEY] = [user.pk, STATE_PENDING]
    _other_sessions_end(request=request, user=user)
    return True


def _other_sessions_end(*, request: HttpRequest, user: User) -> None:
    """The person's other sessions never proved the new factor: they end, and the person
    signs in there again, this time with it."""
    sessions_end_all_but(
        user=user,
        keep_session_key=request.session.session_key,
        actor=user,
        request=request,
        reason="a second factor was added",
    )


def passkey_added(*, request: HttpRequest, user: User, device: Device) -> None:
    """Records a passkey registered through the passkey ceremony."""
    security_event_record(
        kind=SecurityEvent.Kind.SECOND_FACTOR_ADDED,
        request=request,
        actor=user,
        subject=user,
        detail="passkey",
    )
    request.session[STATE_SESSION_KEY] = [user.pk, STATE_PENDING]
    _other_sessions_end(request=request, user=user)


def recovery_codes_make(*, request: HttpRequest | None, user: User) -> list[str]:
    """Ten new single-use recovery codes, replacing any earlier ones. They are returned
    once, to be shown once; only the person's own codes are kept to check against."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_CODES_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = []
        for _index in range(RECOVERY_CODE_COUNT):
            code = StaticToken.random_token()
            device.token_set.create(token=code)
            codes.append(code)
        security_event_record(
            kind=SecurityEvent.Kind.RECOVERY_CODES_MADE, request=request, actor=user, subject=user
        )
    return codes


def second_factor_remove(*, request: HttpRequest, user: User, device: Device) -> None:
    """Removes one of the person's own factors; with the last one go the recovery codes."""
    with transaction.atomic():
        label = "passkey" if isinstance(device, WebAuthnCredential) else "authenticator app"
        device.delete()
        remaining = has_second_factor(user)
        if not remaining:
            StaticDevice.objects.filter(user=user).delete()
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED,
            request=request,
            actor=user,
            subject=user,
            detail=label,
        )
    if not remaining:
        request.session[STATE_SESSION_KEY] = [user.pk, STATE_NONE]


def second_factor_verify(*, request: HttpRequest, user: User, method: str, token: str) -> bool:
    """Checks a code from the authenticator app ("app") or a recovery code ("recovery").
    Raises SecondFactorLocked after too many refusals."""
    if second_factor_locked(user):
        raise SecondFactorLocked
    token = "".join(token.split()).lower()
    device: Any = None
    with transaction.atomic():
        if method == "app":
            devices: Any = TOTPDevice.objects.devices_for_user(user, confirmed=True)
        else:
            devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
        for candidate in devices.select_for_update():
            if candidate.verify_token(token):
                device = candidate
                break
    if device is None:
        second_factor_failed(request=request, user=user, detail=method)
        return False
    second_factor_verified(request=request, user=user, device=device, detail=method)
    return True


def second_factor_verified(
    *, request: HttpRequest, user: User, device: Device, detail: str
) -> None:
    django_otp.login(request, device)
    security_event_record(
        kind=SecurityEvent.Kind.SECOND_FACTOR_VERIFIED,
        request=request,
        subject=user,
        detail=detail,
    )


def second_factor_failed(*, request: HttpRequest, user: User, detail: str) -> None:
    security_event_record(
        kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, request=request, subject=user, detail=detail
    )


def second_factor_reset(*, request: HttpRequest | None, user: User, actor: User) -> None:
    """An administrator removes every second factor of a person who has lost theirs. The
    person's sessions must prove a factor again, so they are taken to set one up (if their
    role needs one) at their next request."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        WebAuthnCredential.objects.filter(user=locked).delete()
        locked._change_reason = f"Second factor reset by {actor.get_full_name()}"  # type: ignore[attr-defined]
        locked.save()
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_RESET,
            request=request,
            actor=actor,
            subject=locked,
        )
