"""Each night beat removes expired sessions from the session store and the rows of every
session that has expired or gone, a batch at a time; live sessions stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import tasks
from accounts.models import SignedInSession
from accounts.sessions import services
from tests.factories import UserFactory

NOW = dt.datetime(2026, 12, 1, 3, 20, tzinfo=dt.UTC)


def stored(key: str, expires: dt.datetime) -> Session:
    return Session.objects.create(session_key=key, session_data="", expire_date=expires)


def recorded(user, key: str) -> SignedInSession:
    return SignedInSession.objects.create(session_key=key, user=user)


@pytest.fixture
def person(db):
    return UserFactory()


def test_the_portal_keeps_its_sessions_in_the_database():
    # What the pruning below relies on: the store is the database's (django_session).
    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

    from laa_portal.sessions import SessionStore

    assert django_settings.SESSION_ENGINE == "laa_portal.sessions"
    assert issubclass(SessionStore, DatabaseSessionStore)


def test_lapsed_sessions_and_their_rows_go_and_live_ones_stay(person):
    live = recorded(person, "live" + "a" * 28)
    stored(live.session_key, NOW + dt.timedelta(minutes=1))
    expired = recorded(person, "expired" + "b" * 25)
    stored(expired.session_key, NOW - dt.timedelta(minutes=1))
    at_expiry = recorded(person, "atexpiry" + "c" * 24)
    stored(at_expiry.session_key, NOW)
    gone = recorded(person, "gone" + "d" * 28)  # its session is no longer in the store
    anonymous_expired = stored("anon" + "e" * 28, NOW - dt.timedelta(days=3))
    anonymous_live = stored("anon" + "f" * 28, NOW + dt.timedelta(minutes=20))

    pruned = services.sessions_prune_lapsed(now=NOW)

    assert pruned.records == 3
    assert pruned.stored >= 2  # expired and anonymous_expired (and any the seed left)
    assert list(SignedInSession.objects.filter(user=person)) == [live]
    assert not SignedInSession.objects.filter(pk__in=[expired.pk, at_expiry.pk, gone.pk]).exists()
    remaining = set(Session.objects.values_list("session_key", flat=True))
    assert {live.session_key, at_expiry.session_key, anonymous_live.session_key} <= remaining
    assert expired.session_key not in remaining
    assert anonymous_expired.session_key not in remaining


def test_a_backlog_larger_than_a_batch_is_deleted_in_several(person, monkeypatch):
    monkeypatch.setattr(services, "PRUNE_BATCH_SIZE", 3)
    Session.objects.filter(expire_date__lt=NOW).delete()
    SignedInSession.objects.bulk_create(
        SignedInSession(session_key=f"lapsed{n:026d}", user=person) for n in range(7)
    )
    Session.objects.bulk_create(
        Session(session_key=f"old{n:029d}", session_data="", expire_date=NOW - dt.timedelta(1))
        for n in range(8)
    )
    live = recorded(person, "live" + "a" * 28)
    stored(live.session_key, NOW + dt.timedelta(minutes=30))

    assert services.sessions_prune_lapsed(now=NOW) == (7, 8)

    assert list(SignedInSession.objects.filter(user=person)) == [live]
    assert not Session.objects.filter(expire_date__lt=NOW).exists()


def test_the_nightly_task_prunes_lapsed_sessions(person):
    now = timezone.now()
    lapsed = recorded(person, "lapsed" + "a" * 26)
    stored(lapsed.session_key, now - dt.timedelta(minutes=5))
    live = recorded(person, "live" + "b" * 28)
    stored(live.session_key, now + dt.timedelta(minutes=25))

    records, _ = tasks.prune_lapsed_sessions.apply().get()

    assert records >= 1
    assert list(SignedInSession.objects.filter(user=person)) == [live]
    assert not Session.objects.filter(session_key=lapsed.session_key).exists()
