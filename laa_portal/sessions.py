"""Sessions that end after a period of inactivity, without a write on every request.

The session row's expiry is pushed an idle period (SESSION_COOKIE_AGE) into the future when
a request comes more than a minute after the last push, so a busy user's requests write the
session at most once a minute and an idle one is signed out as before.

`SessionStore` is the database store that also remembers the expiry of the row it read (in
the same query), and `SessionRefreshMiddleware` saves the session again when that expiry is
more than REFRESH_AFTER short of a full idle period, which is when the last save was more
than REFRESH_AFTER ago.

Each signed-in session also has a row saying whose it is (`accounts.SignedInSession`, for
the person's sessions page); when the store gives a session a new key the row follows.
`EndSessionOfRemovedAccessMiddleware` ends a session whose person may no longer sign in.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from accounts.models import SecurityEvent, User
from accounts.services import security_event_record
from accounts.sessions.services import session_forget, session_rekey

REFRESH_AFTER = timedelta(seconds=60)

logger = logging.getLogger(__name__)


class SessionStore(db.SessionStore):
    loaded_expiry = None

    def save(self, must_create=False):
        """Saving an existing session happens after the view's own work has committed: if the
        database is unreachable just then (a restart), the change the person made stands, so
        the response must not turn into an error. The session keeps its old expiry and data,
        and is saved again by a later request."""
        try:
            return super().save(must_create=must_create)
        except UpdateError as error:
            if must_create or not isinstance(error.__context__, (OperationalError, InterfaceError)):
                raise  # the session really was ended elsewhere (signed out in another tab)
            logger.warning("session not saved: the database is unavailable")

    def cycle_key(self):
        old_key = self.session_key
        super().cycle_key()
        if old_key and self.session_key and self.session_key != old_key:
            session_rekey(old_key=old_key, new_key=self.session_key)

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.loaded_expiry = session.expire_date if session else None
        return session

    async def _aget_session_from_db(self):
        session = await super()._aget_session_from_db()
        self.loaded_expiry = session.expire_date if session else None
        return session

    def needs_refresh(self) -> bool:
        """Whether the stored expiry should be pushed forward now."""
        if self.loaded_expiry is None:
            return False
        idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
        return self.loaded_expiry < timezone.now() + idle - REFRESH_AFTER


class SessionRefreshMiddleware:
    """After SessionMiddleware: marks a signed-in session modified when its expiry is due to
    be pushed forward, so that SessionMiddleware saves it (with a new expiry) once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.modified
            and getattr(session, "needs_refresh", None) is not None
            and session.needs_refresh()
        ):
            session.modified = True
        return response


class EndSessionOfRemovedAccessMiddleware:
    """After AuthenticationMiddleware: a session that names a person who may no longer sign
    in (their access was removed, or their account is gone) ends at its next request, so
    that restoring their access later does not bring it back. The request goes on signed
    out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session and not request.user.is_authenticated:
            user_id = session.get(SESSION_KEY)
            key = session.session_key
            session.flush()
            if key:
                session_forget(session_key=key)
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_ENDED,
                request=request,
                subject=User.objects.filter(pk=user_id).first(),
                detail="session ended at its next request: the person may no longer sign in",
            )
        return self.get_response(request)
