"""Who is signing in, for the lock-out and the security log.

The lock-out counts failures per address *and* per user name. The user name is the e-mail
address lower-cased, as sign-in treats it, so that another spelling of the same address
does not get five more guesses. The address is the client's, not a proxy's: behind
TRUSTED_PROXY_COUNT proxies that each append the address they received from to
X-Forwarded-For, the client's is that many entries from the right. Entries further left
came from the client itself and could say anything, so they are never believed.
"""

from __future__ import annotations

from django.conf import settings


def lockout_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the attempted user name, normalised as sign-in reads it."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get(field)
    if not isinstance(username, str):
        return username
    return username.strip().lower()


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE, and the address in the security log."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer entries than trusted proxies: the request did not come through them all.
        return remote
    return forwarded[-proxies]
