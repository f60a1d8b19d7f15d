"""A person's own sessions, newest first, with when each was last used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import SignedInSession, User
from accounts.sessions.useragent import describe_user_agent


@dataclass(frozen=True)
class SessionRow:
    record: SignedInSession
    last_active: datetime
    device: str
    current: bool


def _live(user: User) -> QuerySet[SignedInSession]:
    expiry = Session.objects.filter(session_key=OuterRef("session_key")).values("expire_date")
    return (
        SignedInSession.objects.filter(user=user)
        .annotate(expire_date=Subquery(expiry[:1]))
        .filter(expire_date__gt=timezone.now())
    )


def sessions_of(user: User, *, current_key: str | None) -> list[SessionRow]:
    """The person's live sessions, the current one first. A session's expiry is pushed an
    idle period ahead at most once a minute while it is used (laa_portal/sessions.py), so
    its last use is its expiry less that period, to the minute."""
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = [
        SessionRow(
            record=record,
            last_active=min(record.expire_date - idle, timezone.now()),  # type: ignore[attr-defined]
            device=describe_user_agent(record.user_agent),
            current=record.session_key == current_key,
        )
        for record in _live(user)
    ]
    return sorted(rows, key=lambda row: (not row.current, -row.record.signed_in_at.timestamp()))


def session_get_for_user(user: User, pk: int) -> SignedInSession:
    """One of the person's own live sessions; anyone else's, or one that has ended, is 404."""
    record = _live(user).filter(pk=pk).first()
    if record is None:
        raise Http404("No such session")
    return record
