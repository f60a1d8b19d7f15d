"""How a program proves who it reads the API as: `Authorization: Bearer <token>`.

A personal token reads as its person. An organisation token reads as its organisation's
system: a person that exists only for the request, with the role an organisation of that
kind gives (a council's coordinator, a GO's negotiator, a department's official, the
national team's admin), so every permission and selector applies to it unchanged. It
never signs in, receives no e-mail and owns nothing."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from accounts.models import ROLE_ORGANISATION_KIND, Organisation, User
from api.models import ApiToken
from api.services import token_find

ROLE_OF_KIND = {kind: role for role, kind in ROLE_ORGANISATION_KIND.items()}


def system_user_for(organisation: Organisation) -> User:
    """The in-memory person an organisation token reads as (never saved)."""
    return User(
        email=f"system@{organisation.slug}.invalid",
        full_name=f"{organisation.name} (system)",
        organisation=organisation,
        role=ROLE_OF_KIND[Organisation.Kind(organisation.kind)],
        is_active=True,
    )


def user_for(token: ApiToken) -> User:
    if token.user_id is not None:
        return token.user
    return system_user_for(token.organisation)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer <token>'."
            )
        try:
            secret = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = token_find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is not valid, or has expired or been revoked."
            )
        user = user_for(token)
        if not user.is_active:
            raise exceptions.AuthenticationFailed("The token's owner can no longer sign in.")
        return user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ReadOnlySessionAuthentication(authentication.SessionAuthentication):
    """A person signed in to the portal reads the API in their browser (the documentation
    page tries requests this way). Only GET and HEAD reach a view, so the CSRF check never
    has a write to guard."""
