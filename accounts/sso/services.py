"""Starting a sign-in at an identity provider, and finishing it when the person returns.

The authorization code flow, with PKCE (S256), a random `state` tied to this browser's
session and a `nonce` the ID token must carry back. The ID token's signature is checked
against the provider's published keys, and its issuer, audience (this portal's client id),
expiry and nonce against what was sent. The account is the one whose e-mail address the
provider says it has verified, in one of the provider's own domains; it must already exist
and be active.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from requests import RequestException

from accounts.models import SecurityEvent, User
from accounts.services import security_event_record
from accounts.sessions.services import session_mark_single_sign_on
from accounts.sso.providers import (
    Provider,
    ProviderUnavailable,
    email_domain,
    provider_keys,
    provider_metadata,
    provider_named,
)

# The session key that says this session was signed in by single sign-on: the provider
# has authenticated the person in its own way, so the portal asks for no second factor.
SIGNED_IN_WITH_SSO = "laa_signed_in_with_sso"
# The sign-in under way: provider, state, nonce, PKCE verifier, where to go after, when.
PENDING = "laa_sso_pending"
# How long a person may take at their provider before the sign-in must start again.
PENDING_MAX_AGE = 600
# Signature algorithms an ID token may use: public-key ones only (never "none", never a
# shared secret guessed from a public key).
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
CLOCK_LEEWAY = 60
BACKEND = "accounts.backends.UserWithOrganisationBackend"


@dataclass
class SingleSignOnRefused(Exception):
    """The sign-in was refused. `message` is for the person; `detail` (plain words, never a
    secret or a token) goes to the security log."""

    message: str
    detail: str
    subject: User | None = None
    provider: Provider | None = None

    def __str__(self) -> str:
        return self.detail


def callback_url() -> str:
    """The address providers send people back to: register it with each provider."""
    return settings.PORTAL_BASE_URL + reverse("sso:callback")


def _client(provider: Provider) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope="openid email",
        redirect_uri=callback_url(),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106  (a method's name)
    )


_UNAVAILABLE = (
    "Your organisation's sign-in service did not answer. Try again in a few minutes; if it "
    "goes on, tell the national LAA team."
)
_NOT_CONFIRMED = (
    "Your organisation's sign-in service did not confirm who you are, so you have not been "
    "signed in. Start again from the sign-in page; if it happens again, tell the national "
    "LAA team."
)


def sso_begin(*, request: HttpRequest, provider: Provider, email: str, next_url: str) -> str:
    """Notes a new sign-in in this browser's session and gives the provider's address to
    send the person to."""
    try:
        metadata = provider_metadata(provider)
    except ProviderUnavailable as error:
        raise SingleSignOnRefused(_UNAVAILABLE, str(error), provider=provider) from error
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    request.session[PENDING] = {
        "provider": provider.name,
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "started": time.time(),
    }
    url, _ = _client(provider).create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        code_verifier=verifier,
        nonce=nonce,
        login_hint=email,
    )
    return str(url)


def _id_token_claims(provider: Provider, metadata: dict, id_token: str, nonce: str) -> dict:
    keys = KeySet.import_key_set(provider_keys(metadata))  # type: ignore[arg-type]
    token = jwt.decode(id_token, keys, algorithms=ID_TOKEN_ALGORITHMS)
    claims = dict(token.claims)
    jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    ).validate(claims)
    # With more than one audience, the token must say it was issued to this portal.
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise SingleSignOnRefused(_NOT_CONFIRMED, "ID token issued to another party (azp)")
    return claims


def _verified_email(provider: Provider, claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise SingleSignOnRefused(
            _NOT_CONFIRMED, "the ID token carries no e-mail address", provider=provider
        )
    if claims.get("email_verified") not in (True, "true"):
        raise SingleSignOnRefused(
            "Your organisation's sign-in service has not confirmed your email address, so you "
            "have not been signed in. Ask your organisation's IT team.",
            f"e-mail {email!r} not verified by the provider",
            provider=provider,
        )
    if email_domain(email) not in provider.domains:
        raise SingleSignOnRefused(
            _NOT_CONFIRMED,
            f"e-mail {email!r} is outside the provider's domains",
            provider=provider,
        )
    return email


def _pending(request: HttpRequest) -> dict:
    pending = request.session.pop(PENDING, None)
    if not isinstance(pending, dict):
        raise SingleSignOnRefused(
            "This sign-in was not started from this browser, or it has already been used. "
            "Start again from the sign-in page.",
            "no sign-in under way in this session",
        )
    if time.time() - float(pending.get("started", 0)) > PENDING_MAX_AGE:
        raise SingleSignOnRefused(
            "The sign-in took too long. Start again from the sign-in page.",
            "the sign-in was started too long ago",
        )
    if not constant_time_compare(str(request.GET.get("state", "")), pending["state"]):
        raise SingleSignOnRefused(
            "This sign-in was not started from this browser. Start again from the sign-in page.",
            "state does not match the sign-in under way",
        )
    return pending


def sso_complete(*, request: HttpRequest) -> tuple[User, str]:
    """Finishes the sign-in the provider has sent the person back from: checks everything,
    signs the person in and records it. Gives the user and where to go next; raises
    SingleSignOnRefused (after recording it) otherwise."""
    provider: Provider | None = None
    try:
        pending = _pending(request)
        provider = provider_named(pending["provider"])
        if provider is None:
            raise SingleSignOnRefused(_NOT_CONFIRMED, "the provider is no longer configured")
        if request.GET.get("error"):
            raise SingleSignOnRefused(
                "Your organisation's sign-in service did not sign you in. Start again from "
                "the sign-in page.",
                f"the provider answered {str(request.GET['error'])[:60]!r}",
            )
        code = request.GET.get("code")
        if not code:
            raise SingleSignOnRefused(_NOT_CONFIRMED, "no authorization code came back")
        metadata = provider_metadata(provider)
        token = _client(provider).fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=pending["verifier"],
        )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SingleSignOnRefused(_NOT_CONFIRMED, "the provider gave no ID token")
        try:
            claims = _id_token_claims(provider, metadata, id_token, pending["nonce"])
        except JoseError as error:
            claim = getattr(error, "claim", "") or getattr(error, "error", "")
            raise SingleSignOnRefused(
                _NOT_CONFIRMED, f"ID token refused: {type(error).__name__} {claim}".strip()
            ) from error
        email = _verified_email(provider, claims)
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise SingleSignOnRefused(
                f"There is no LAA Portal account for {email}. Someone in your organisation "
                "who manages the portal's users must invite you first.",
                f"no account for e-mail {email!r}",
            )
        if not user.is_active:
            raise SingleSignOnRefused(
                "Your access to the LAA Portal has been removed. Ask your organisation's "
                "administrator.",
                f"access removed for e-mail {email!r}",
                subject=user,
            )
    except SingleSignOnRefused as refusal:
        refusal.provider = refusal.provider or provider
        _record_refusal(request, refusal)
        raise
    except ProviderUnavailable as error:
        failure = SingleSignOnRefused(_UNAVAILABLE, str(error), provider=provider)
        _record_refusal(request, failure)
        raise failure from error
    except (AuthlibBaseError, RequestException, ValueError, KeyError) as error:
        # The token endpoint refused the code, or answered with something else.
        failure = SingleSignOnRefused(
            _NOT_CONFIRMED, f"token request failed: {type(error).__name__}", provider=provider
        )
        _record_refusal(request, failure)
        raise failure from error

    login(request, user, backend=BACKEND)
    request.session[SIGNED_IN_WITH_SSO] = True
    if request.session.session_key:
        session_mark_single_sign_on(session_key=request.session.session_key)
    security_event_record(
        kind=SecurityEvent.Kind.SSO_LOGIN,
        request=request,
        subject=user,
        detail=f"provider {provider.name}",
    )
    return user, str(pending.get("next") or "")


def _record_refusal(request: HttpRequest, refusal: SingleSignOnRefused) -> None:
    where = f"provider {refusal.provider.name}: " if refusal.provider else ""
    security_event_record(
        kind=SecurityEvent.Kind.SSO_REFUSED,
        request=request,
        subject=refusal.subject,
        detail=where + refusal.detail,
    )
