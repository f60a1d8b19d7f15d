"""A database that goes away (a restart) is reported as such and never turns a change that
committed into an error.

The database really is unreachable here: the connection is pointed at a port where nothing
listens (PostgreSQL) or at a file that cannot be opened (SQLite), then put back.
"""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import connection

from health.services import health_report
from laa_portal.sessions import SessionStore
from tests.services import free_port


@contextlib.contextmanager
def database_unreachable():
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/unreachable.sqlite3"
    else:
        connection.settings_dict["PORT"] = str(free_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_healthz_answers_503_when_the_database_is_unreachable(client, transactional_db):
    with database_unreachable():
        report, status = health_report()
        response = client.get("/healthz")
    assert status == 503 and report["status"] == "unavailable"
    assert report["database"]["ok"] is False and report["worker"]["ok"] is False
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    # Only the kind of failure is reported, never the library's message.
    assert set(response.json()["database"]) == {"ok", "vendor", "error"}


def test_a_session_that_cannot_be_saved_does_not_fail_the_response(transactional_db):
    store = SessionStore()
    store["note"] = "before"
    store.save(must_create=True)
    loaded = SessionStore(session_key=store.session_key)
    assert loaded["note"] == "before"
    loaded["note"] = "after"
    with database_unreachable():
        loaded.save()  # the request's own work has committed; this must not raise
    assert SessionStore(session_key=store.session_key)["note"] == "before"


def test_a_session_ended_elsewhere_still_interrupts(transactional_db):
    """Only an unreachable database is forgiven: a session signed out in another tab is
    still refused, as Django does."""
    store = SessionStore()
    store["note"] = "x"
    store.save(must_create=True)
    loaded = SessionStore(session_key=store.session_key)
    assert loaded["note"] == "x"
    SessionStore(session_key=store.session_key).delete()
    loaded["note"] = "y"
    with pytest.raises(UpdateError):
        loaded.save()
