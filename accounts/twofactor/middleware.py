"""Between the password and the portal: a person with a second factor proves it; a person
whose role needs one and has none sets one up. Until then only those pages, signing out,
static files and the health check answer.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from accounts.twofactor.services import (
    SSO_SESSION_KEY,
    STATE_PENDING,
    second_factor_required,
    session_state,
)

# Pages open to a signed-in person who has still to prove their second factor.
VERIFY_PAGES = {
    "two_factor:verify",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    "logout",
    "healthz",
}
# Pages open to a person whose role needs a second factor and who has none yet.
SETUP_PAGES = {
    "two_factor:setup",
    "two_factor:authenticator",
    "two_factor:passkeys",
    "two_factor:recovery_codes",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:js-i18n-catalog",
    "logout",
    "healthz",
}


def _page_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _redirect(request, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # htmx swaps a fragment; have it load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.session.get(SSO_SESSION_KEY)
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            if session_state(request) == STATE_PENDING:
                if not user.is_verified() and _page_name(request.path_info) not in VERIFY_PAGES:
                    return _redirect(request, "two_factor:verify")
            elif second_factor_required(user) and _page_name(request.path_info) not in SETUP_PAGES:
                return _redirect(request, "two_factor:setup")
        return self.get_response(request)
