"""The production configuration, run natively: collectstatic with hashed file names, then
gunicorn with DEBUG off, answering through a proxy that terminates TLS."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _database_url_for_current_test_database, wait_until
from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def production_server(django_db_setup, tmp_path_factory):
    """One gunicorn for the module, on the seeded test database (the tests only read)."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY")
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="production-test-" + "s" * 60,
        ALLOWED_HOSTS="laa.example.org",
        CSRF_TRUSTED_ORIGINS="https://laa.example.org",
        TRUST_X_FORWARDED_PROTO="true",
        DATABASE_URL=_database_url_for_current_test_database(),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "laa_portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return process.poll() is not None

    try:
        wait_until(up, timeout=60, message="gunicorn did not start")
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Host": "laa.example.org", **headers})
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


def test_gunicorn_serves_the_portal_with_production_settings(production_server):
    health = fetch(production_server + "/healthz")
    assert health.status == 200
    # Plain HTTP is sent to HTTPS; behind the proxy the page is served with HSTS.
    assert fetch(production_server + "/sign-in/").status == 301
    page = fetch(production_server + "/sign-in/", **{"X-Forwarded-Proto": "https"})
    assert page.status == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    body = page.read().decode()
    # Static files carry content hashes and are served by the app itself.
    stylesheet = body.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/build/css/application.") and stylesheet.endswith(".css")
    css = fetch(production_server + stylesheet, **{"X-Forwarded-Proto": "https"})
    assert css.status == 200
    assert b"govuk-" in css.read()


def test_an_unknown_host_is_refused(production_server):
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        production_server + "/sign-in/", headers={"Host": "evil.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(request, timeout=10)
    assert error.value.code == 400
