"""Setting up a second factor, proving it at sign-in, and an administrator's reset."""

from __future__ import annotations

import json
from base64 import b32encode
from functools import wraps

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from accounts.twofactor import services
from accounts.twofactor.forms import CodeForm

FRESH_CODES_SESSION_KEY = "laa_fresh_recovery_codes"

METHODS = {
    "app": {
        "label": "Code from your authenticator app",
        "hint": "The 6-digit code the app shows for LAA Portal",
        "button": "Continue",
        "numeric": True,
    },
    "recovery": {
        "label": "Recovery code",
        "hint": "One of the ten codes you saved when you set up your second factor. "
        "Each works once.",
        "button": "Continue",
        "numeric": False,
    },
}


def _next_url(request, default: str = "home") -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _is_checked(request) -> bool:
    return bool(request.user.is_verified() or request.session.get(services.SSO_SESSION_KEY))


def factors_unlocked(view):
    """A person who has a second factor changes their factors only in a session that has
    proved one (else anyone with the password could add their own)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_checked(request) and services.has_second_factor(request.user):
            services.session_state_refresh(request)
            return redirect("two_factor:verify")
        return view(request, *args, **kwargs)

    return wrapper


# --- The person's own factors -----------------------------------------------------------


@factors_unlocked
def setup(request):
    user = request.user
    return render(
        request,
        "accounts/twofactor/setup.html",
        {
            "required": services.second_factor_required(user),
            "app": TOTPDevice.objects.devices_for_user(user, confirmed=True).first(),
            "passkeys": WebAuthnCredential.objects.devices_for_user(user, confirmed=True)
            .only("pk", "name", "created_at", "last_used_at")
            .order_by("created_at"),
            "has_factor": services.has_second_factor(user),
            "codes_left": services.recovery_codes_left(user),
            "next": _next_url(request),
        },
    )


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@factors_unlocked
def authenticator(request):
    user = request.user
    form_kwargs = {
        "label": "Code from the app",
        "hint": "After scanning, the app shows a 6-digit code that changes every 30 seconds",
        "button": "Confirm",
        "numeric": True,
    }
    form = CodeForm(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(
            request=request, user=user, token=form.cleaned_data["code"]
        ):
            messages.success(request, "Your authenticator app is set up.")
            return _after_first_factor(request)
        form.add_error(
            "code", "The code is not right: check the app and enter the code it shows now"
        )
    device = services.totp_device_pending(user=user)
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/twofactor/authenticator.html",
        {
            "form": form,
            "qr_data_uri": qr.svg_data_uri(scale=5, border=4),
            "secret": _secret_groups(device),
            "replacing": TOTPDevice.objects.devices_for_user(user, confirmed=True).exists(),
            "next": _next_url(request, "two_factor:setup"),
        },
    )


def _after_first_factor(request) -> HttpResponseRedirect:
    """A person's first factor comes with their recovery codes, shown once."""
    if services.recovery_codes_left(request.user) == 0:
        request.session[FRESH_CODES_SESSION_KEY] = services.recovery_codes_make(
            request=request, user=request.user
        )
        return redirect(
            reverse("two_factor:recovery_codes") + "?" + urlencode({"next": _next_url(request)})
        )
    return HttpResponseRedirect(_next_url(request, "two_factor:setup"))


@require_POST
@factors_unlocked
def authenticator_remove(request):
    device = get_object_or_404(TOTPDevice, user=request.user, confirmed=True)
    services.second_factor_remove(request=request, user=request.user, device=device)
    messages.success(request, "Your authenticator app has been removed.")
    return redirect("two_factor:setup")


@factors_unlocked
def passkeys(request):
    user = request.user
    return render(
        request,
        "accounts/twofactor/passkeys.html",
        {
            "passkeys": WebAuthnCredential.objects.devices_for_user(user, confirmed=True)
            .only("pk", "name", "created_at", "last_used_at")
            .order_by("created_at"),
            "codes_left": services.recovery_codes_left(user),
            "next": _next_url(request, "two_factor:setup"),
        },
    )


@require_POST
@factors_unlocked
def passkey_remove(request, pk: int):
    device = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    services.second_factor_remove(request=request, user=request.user, device=device)
    messages.success(request, "The passkey has been removed.")
    return redirect("two_factor:passkeys")


@factors_unlocked
def recovery_codes(request):
    user = request.user
    if request.method == "POST":
        if not services.has_second_factor(user):
            raise Http404
        request.session[FRESH_CODES_SESSION_KEY] = services.recovery_codes_make(
            request=request, user=user
        )
        return redirect("two_factor:recovery_codes")
    codes = request.session.pop(FRESH_CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/twofactor/recovery_codes.html",
        {
            "codes": codes,
            "codes_left": services.recovery_codes_left(user),
            "has_factor": services.has_second_factor(user),
            "next": _next_url(request, "two_factor:setup"),
        },
    )


# --- The second step of sign-in ---------------------------------------------------------


def verify(request):
    user = request.user
    next_url = _next_url(request)
    if _is_checked(request):
        return HttpResponseRedirect(next_url)
    if services.session_state_refresh(request) != services.STATE_PENDING:
        # Nothing to prove (the factors were reset meanwhile).
        return HttpResponseRedirect(next_url)
    has_app = TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()
    has_passkey = WebAuthnCredential.objects.devices_for_user(user, confirmed=True).exists()
    method = request.GET.get("method") or ("app" if has_app else "passkey")
    if method not in ("app", "recovery", "passkey"):
        method = "app"
    if services.second_factor_locked(user):
        return render(request, "accounts/twofactor/locked.html", status=429)
    form = None
    if method in METHODS:
        form = CodeForm(request.POST if request.method == "POST" else None, **METHODS[method])
        if request.method == "POST" and form.is_valid():
            try:
                accepted = services.second_factor_verify(
                    request=request, user=user, method=method, token=form.cleaned_data["code"]
                )
            except services.SecondFactorLocked:
                return render(request, "accounts/twofactor/locked.html", status=429)
            if accepted:
                return HttpResponseRedirect(next_url)
            if services.second_factor_locked(user):
                return render(request, "accounts/twofactor/locked.html", status=429)
            form.add_error("code", "The code is not right: check it and try again")
    return render(
        request,
        "accounts/twofactor/verify.html",
        {
            "form": form,
            "method": method,
            "has_app": has_app,
            "has_passkey": has_passkey,
            "codes_left": services.recovery_codes_left(user),
            "next": next_url,
        },
    )


# --- Passkey ceremonies: the library's views, with the security log and the lock-out ----


class _Locked(webauthn_exceptions.OTPWebAuthnApiError):
    status_code = 429
    code = "locked"
    default_detail = "Too many refused attempts. Try again later."


class PasskeyRegistrationComplete(webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = WebAuthnCredential.objects.get(
                pk=json.loads(response.content)["id"], user=self.request.user
            )
            device.name = device.name or "Passkey"
            device.save(update_fields=["name"])
            services.passkey_added(request=self.request, user=self.request.user, device=device)
        return response


class PasskeyAuthenticationBegin(webauthn_views.BeginCredentialAuthenticationView):
    def check_can_authenticate(self):
        super().check_can_authenticate()
        user = self.get_user()
        if user is not None and services.second_factor_locked(user):
            raise _Locked()


class PasskeyAuthenticationComplete(webauthn_views.CompleteCredentialAuthenticationView):
    def check_can_authenticate(self):
        super().check_can_authenticate()
        user = self.get_user()
        if user is not None and services.second_factor_locked(user):
            raise _Locked()

    def check_device_usable(self, device):
        super().check_device_usable(device)
        if device.user_id != self.request.user.pk:
            raise webauthn_exceptions.CredentialNotFound()

    def complete_auth(self, device):
        services.second_factor_verified(
            request=self.request, user=self.request.user, device=device, detail="passkey"
        )

    def handle_exception(self, exc):
        refused = isinstance(exc, webauthn_exceptions.OTPWebAuthnApiError) and not isinstance(
            exc, _Locked
        )
        if refused and self.request.user.is_authenticated:
            services.second_factor_failed(
                request=self.request, user=self.request.user, detail="passkey"
            )
        return super().handle_exception(exc)

    def get_success_url(self):
        return _next_url(self.request)


# --- An administrator's reset ----------------------------------------------------------


def reset(request, pk: int):
    person = get_object_or_404(get_user_model().objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("accounts.reset_second_factor", person):
        raise Http404
    if request.method == "POST":
        services.second_factor_reset(request=request, user=person, actor=request.user)
        messages.success(
            request,
            f"{person.get_full_name()}'s second factor has been reset. They will set up a new "
            "one when they next sign in.",
        )
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "accounts/twofactor/reset.html",
        {
            "person": person,
            "has_factor": services.has_second_factor(person),
            "next": _next_url(request),
        },
    )
