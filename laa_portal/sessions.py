"""Sessions that end after a period of inactivity, without a write on every request.

The session row's expiry is pushed an idle period (SESSION_COOKIE_AGE) into the future when
a request comes more than a minute after the last push, so a busy user's requests write the
session at most once a minute and an idle one is signed out as before.

`SessionStore` is the database store that also remembers the expiry of the row it read (in
the same query), and `SessionRefreshMiddleware` saves the session again when that expiry is
more than REFRESH_AFTER short of a full idle period, which is when the last save was more
than REFRESH_AFTER ago.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

REFRESH_AFTER = timedelta(seconds=60)


class SessionStore(db.SessionStore):
    loaded_expiry = None

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
