"""Recording and ending sessions. A session ends by its row leaving the session store: the
next request bearing its cookie finds no session and is signed out."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from importlib import import_module
from typing import NamedTuple

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import SecurityEvent, SignedInSession, User
from accounts.security import client_address
from accounts.services import security_event_record
from core.batches import delete_in_batches

USER_AGENT_LENGTH = 300
# Rows deleted in one statement when lapsed sessions are pruned.
PRUNE_BATCH_SIZE = 5000

logger = logging.getLogger(__name__)


def _session_store_delete(session_key: str) -> None:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def session_record_sign_in(*, request: HttpRequest, user: User) -> SignedInSession | None:
    """Called at sign-in (after the session key has been cycled): notes whose the session is
    and what it came from. A request without a stored session (a test's forced sign-in
    without a key) records nothing."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    record, _ = SignedInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
            "address": client_address(request),
            "with_single_sign_on": False,
        },
    )
    return record


def session_mark_single_sign_on(*, session_key: str) -> None:
    SignedInSession.objects.filter(session_key=session_key).update(with_single_sign_on=True)


def session_rekey(*, old_key: str, new_key: str) -> None:
    """The store gave a signed-in session a new key (a password change keeps the person
    signed in under a new key): the row follows it."""
    SignedInSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_forget(*, session_key: str) -> None:
    """The session ended by signing out: its row goes with it."""
    SignedInSession.objects.filter(session_key=session_key).delete()


def session_end(
    *,
    record: SignedInSession,
    actor: User,
    request: HttpRequest | None = None,
    reason: str = "ended by its owner",
) -> None:
    """Ends one session: the next request from it is signed out."""
    _session_store_delete(record.session_key)
    record.delete()
    security_event_record(
        kind=SecurityEvent.Kind.SESSION_ENDED,
        request=request,
        actor=actor,
        subject=record.user,
        detail=f"session signed in {record.signed_in_at:%Y-%m-%d %H:%M}, {reason}",
    )


def sessions_end_all_but(
    *,
    user: User,
    keep_session_key: str | None,
    actor: User | None,
    request: HttpRequest | None = None,
    reason: str,
) -> int:
    """Ends every session of `user` except the one keyed `keep_session_key` (None ends them
    all), and says how many it ended. (A session signed in before sessions were recorded has
    no row; after a password change Django's own check of the password in the session ends
    it at its next request.)"""
    records = list(SignedInSession.objects.filter(user=user).exclude(session_key=keep_session_key))
    ended = 0
    for record in records:
        _session_store_delete(record.session_key)
        ended += 1
    SignedInSession.objects.filter(pk__in=[r.pk for r in records]).delete()
    if ended:
        security_event_record(
            kind=SecurityEvent.Kind.SESSION_ENDED,
            request=request,
            actor=actor,
            subject=user,
            detail=f"{ended} session{'s' if ended != 1 else ''} ended: {reason}",
        )
    return ended


def _lapsed(now: datetime) -> QuerySet[SignedInSession]:
    """Rows of sessions that ended without signing out (idle, or the browser closed): their
    sessions have expired or are no longer in the store."""
    live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=now)
    return SignedInSession.objects.exclude(Exists(live))


def sessions_forget_lapsed(*, user: User) -> int:
    """Removes the rows of a person's lapsed sessions."""
    deleted, _ = _lapsed(timezone.now()).filter(user=user).delete()
    return deleted


class PrunedSessions(NamedTuple):
    records: int  # rows saying whose a lapsed session was
    stored: int  # expired sessions removed from the session store


def sessions_prune_lapsed(*, now: datetime | None = None) -> PrunedSessions:
    """Nightly housekeeping: deletes, a batch at a time, the expired sessions in the session
    store (what `manage.py clearsessions` does) and every row whose session has expired or
    is gone, and says how many of each went."""
    now = now or timezone.now()
    engine = import_module(settings.SESSION_ENGINE)
    if issubclass(engine.SessionStore, DatabaseSessionStore):
        expired = engine.SessionStore.get_model_class().objects.filter(expire_date__lt=now)
        stored = delete_in_batches(expired, batch_size=PRUNE_BATCH_SIZE)
    else:
        # Another store expires its own sessions (a cache), or its clear_expired does.
        with contextlib.suppress(NotImplementedError):
            engine.SessionStore.clear_expired()
        stored = 0
    records = delete_in_batches(_lapsed(now), batch_size=PRUNE_BATCH_SIZE)
    logger.info("pruned %d lapsed session records and %d expired sessions", records, stored)
    return PrunedSessions(records=records, stored=stored)


def password_changed(*, request: HttpRequest, user: User) -> int:
    """After a person changed their own password (and stays signed in here): every other
    session of theirs ends, and the log says so."""
    security_event_record(
        kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=request, actor=user, subject=user
    )
    return sessions_end_all_but(
        user=user,
        keep_session_key=request.session.session_key,
        actor=user,
        request=request,
        reason="the password was changed",
    )


def password_was_reset(*, request: HttpRequest, user: User) -> int:
    """After a password was set through a reset link: every session of the person ends."""
    security_event_record(kind=SecurityEvent.Kind.PASSWORD_RESET, request=request, subject=user)
    return sessions_end_all_but(
        user=user,
        keep_session_key=None,
        actor=None,
        request=request,
        reason="the password was reset",
    )
