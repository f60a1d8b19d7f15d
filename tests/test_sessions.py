"""Sessions end after a period of inactivity, but a busy user's requests write the session
at most once a minute (laa_portal/sessions.py)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    # A session's first request may note what it learns once per session (whether the
    # person has a second factor); what follows measures the requests after it.
    client.get("/")
    return client


def test_requests_within_a_minute_write_the_session_once(signed_in, settings):
    # The session was last written two minutes ago.
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.update(expire_date=timezone.now() + idle - timedelta(minutes=2))
    with CaptureQueriesContext(connection) as first:
        assert signed_in.get("/").status_code == 200
    renewed = Session.objects.get().expire_date
    assert renewed > timezone.now() + idle - timedelta(seconds=5)
    with CaptureQueriesContext(connection) as second:
        assert signed_in.get("/indicators/").status_code == 200
        assert signed_in.get("/").status_code == 200
    assert len(session_writes(first.captured_queries)) == 1
    assert session_writes(second.captured_queries) == []
    assert Session.objects.get().expire_date == renewed


def test_a_request_a_minute_after_the_last_write_renews_the_session(signed_in, settings):
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    almost = timezone.now() + idle - timedelta(seconds=30)
    Session.objects.update(expire_date=almost)
    signed_in.get("/")
    assert Session.objects.get().expire_date == almost  # written 30 s ago: left alone
    Session.objects.update(expire_date=timezone.now() + idle - timedelta(seconds=61))
    signed_in.get("/")
    assert Session.objects.get().expire_date > timezone.now() + idle - timedelta(seconds=5)


def test_an_idle_session_still_ends(signed_in):
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = signed_in.get("/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    # The lapsed session is not brought back by the request that found it lapsed.
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()
