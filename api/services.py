"""Making and revoking API tokens, and recording each request to the read API."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from api.models import ApiRequest, ApiToken
from core.batches import delete_in_batches
from core.errors import ServiceError

logger = logging.getLogger(__name__)

# Every secret starts with this, so that a leaked one is easy to recognise in a log or a
# repository scan.
PREFIX = "laa_"
# The choices of expiry offered when a token is made, in days.
EXPIRY_DAYS = (30, 90, 365)
# A token's last use is written at most this often, so that a busy system does not write
# its token's row on every request (the request log has every one).
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)
# Rows of the request log deleted in one statement when old ones are pruned.
PRUNE_BATCH_SIZE = 5000


def hash_secret(secret: str) -> str:
    """A secret is 32 random bytes: a plain SHA-256 of it cannot be reversed or guessed,
    and unlike a password hash it can be looked up by an index."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def _make(**fields) -> NewToken:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        key_hash=hash_secret(secret), key_prefix=secret[: len(PREFIX) + 6], **fields
    )
    return NewToken(token=token, secret=secret)


def _expiry(days: int) -> dt.datetime:
    if days not in EXPIRY_DAYS:
        raise ServiceError("Choose when the token expires.")
    return timezone.now() + dt.timedelta(days=days)


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ServiceError("Enter a name for the token.")
    return name[:100]


# A partner organisation reaches areas through the people named as its representatives,
# so a system of its own would reach nothing: it reads the API through a person's token.
ORGANISATION_KINDS_WITH_TOKENS = (
    Organisation.Kind.LOCALITY,
    Organisation.Kind.GOVERNMENT_OFFICE,
    Organisation.Kind.DEPARTMENT,
    Organisation.Kind.NATIONAL_TEAM,
)


def token_create_personal(*, actor: User, name: str, expires_in_days: int) -> NewToken:
    """A token that reads the API as `actor`."""
    if not actor.has_perm("api.create_personal_token"):
        raise ServiceError("You cannot make API tokens.")
    return _make(
        kind=ApiToken.Kind.PERSONAL,
        user=actor,
        name=_clean_name(name),
        created_by=actor,
        expires_at=_expiry(expires_in_days),
    )


def token_create_for_organisation(
    *, actor: User, organisation: Organisation, name: str, expires_in_days: int
) -> NewToken:
    """A token for an organisation's system, reading the API with the reach of the
    organisation's role (a council's coordinator, a GO's negotiators...)."""
    if not actor.has_perm("api.manage_organisation_tokens"):
        raise ServiceError("Only the national team makes tokens for organisations.")
    if organisation.kind not in ORGANISATION_KINDS_WITH_TOKENS:
        raise ServiceError("Choose a council, Government Office, department or the national team.")
    return _make(
        kind=ApiToken.Kind.ORGANISATION,
        organisation=organisation,
        name=_clean_name(name),
        created_by=actor,
        expires_at=_expiry(expires_in_days),
    )


def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if not actor.has_perm("api.revoke_token", token):
        raise ServiceError("You cannot revoke this token.")
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.revoked_by = actor
            locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def token_find(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked or expired)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__organisation", "organisation")
        .filter(key_hash=hash_secret(secret))
        .first()
    )
    if token is None or not token.is_usable:
        return None
    return token


def token_note_use(token: ApiToken, when: dt.datetime) -> None:
    if token.last_used_at is None or when - token.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=when)
        token.last_used_at = when


def request_record(
    *,
    token: ApiToken | None,
    user: User | None,
    method: str,
    path: str,
    query: str,
    status: int,
) -> ApiRequest:
    when = timezone.now()
    if token is not None:
        token_note_use(token, when)
    return ApiRequest.objects.create(
        token=token,
        user=user if user is not None and user.pk is not None else None,
        method=method[:10],
        path=path[:500],
        query=query[:500],
        status=status,
        created_at=when,
    )


def api_requests_prune(*, now: dt.datetime | None = None) -> int:
    """Deletes the request log's rows older than API_REQUEST_LOG_DAYS days (a row exactly
    that old stays), a batch at a time, and says how many went. Throttling counts only the
    last day at most, and each token keeps its own last use."""
    days = settings.API_REQUEST_LOG_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted = delete_in_batches(
        ApiRequest.objects.filter(created_at__lt=cutoff), batch_size=PRUNE_BATCH_SIZE
    )
    logger.info("pruned %d API request log rows older than %d days", deleted, days)
    return deleted
