"""Shared fixtures: reference data, one user per role, a real Celery worker, a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase

from accounts.models import Area, User
from agreements import services
from agreements.models import Agreement
from indicators.models import Round
from indicators.reference_data import load as load_reference_data
from portal.demo import DEMO_LOGINS, demo_seed
from tests.services import SeededCopy, celery_worker_command

ROOT = Path(__file__).resolve().parent.parent


def seed_everything() -> None:
    load_reference_data()
    demo_seed(force=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the real reference data and the demo logins, seeded
    once. A copy is kept, and each transactional test ends by restoring the database from
    it rather than emptying the tables (Django's flush), so the next one starts seeded."""
    with django_db_blocker.unblock():
        seed_everything()
        seeded = SeededCopy(connection)
        seeded.keep()

    def restore_seeded_copy(test_case) -> None:
        with django_db_blocker.unblock():
            seeded.restore()

    flush = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = restore_seeded_copy
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = flush
        with django_db_blocker.unblock():
            seeded.discard()


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """For tests whose data other processes must see: committed, on the seeded database
    (restored from the seeded copy when the test ends)."""


def _user(email: str) -> User:
    return User.objects.select_related("organisation").get(email=email)


@pytest.fixture
def coordinator(db) -> User:
    return _user("coordinator@example.org")


@pytest.fixture
def coordinator2(db) -> User:
    return _user("coordinator2@example.org")


@pytest.fixture
def partner(db) -> User:
    return _user("partner@example.org")


@pytest.fixture
def negotiator(db) -> User:
    return _user("negotiator@example.org")


@pytest.fixture
def official(db) -> User:
    return _user("official@example.org")


@pytest.fixture
def admin_user(db) -> User:
    return _user("admin@example.org")


@pytest.fixture
def users_by_role(db) -> dict[str, User]:
    return {login.email.split("@")[0]: _user(login.email) for login in DEMO_LOGINS}


@pytest.fixture(autouse=True)
def _broker_state_forgotten():
    """Each test starts with no memory of an earlier test's broker outage (the portal
    pauses publishing after a failure, and reuses a health probe for a few seconds)."""
    from core import broker
    from health.services import forget_broker_check

    broker.reset()
    forget_broker_check()
    yield


@pytest.fixture(autouse=True)
def _no_files_of_earlier_tests():
    """Each test starts without the generated files of earlier tests, whose rows were rolled
    back: SQLite gives their ids out again, and a file already at a row's path would make
    the storage rename the new one."""
    from django.conf import settings

    shutil.rmtree(Path(settings.MEDIA_ROOT) / "jobs", ignore_errors=True)


# --- Agreements ---------------------------------------------------------------------------


@pytest.fixture
def round_2008(db):
    return Round.objects.get(slug="2008-11")


@pytest.fixture
def cumbria(db):
    return Area.objects.get(name="Cumbria")


@pytest.fixture
def agreement(db):
    """The demo agreement for Cumbria, drafted part-way."""
    return Agreement.objects.get(area__name="Cumbria", round__slug="2008-11")


@pytest.fixture
def fresh_agreement(coordinator2, round_2008):
    """An empty agreement for Leeds, opened by its coordinator."""
    agreement, _ = services.agreement_open(
        area=Area.objects.get(name="Leeds"), round=round_2008, actor=coordinator2
    )
    return agreement


@pytest.fixture
def locality(agreement):
    return agreement.area.organisations.get(kind="locality")


# --- A real Celery worker ---------------------------------------------------------------


def _database_url_for_current_test_database() -> str:
    """DATABASE_URL of the test database, for processes the tests start (workers, servers)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        # The embedded stack's test database is a file (see tests/services.py).
        return f"sqlite:///{params['NAME']}"
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


class WorkerProcess:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None
        self.mail_dir: Path | None = None

    def start(self, tmp_path: Path) -> None:
        env = os.environ.copy()
        env["DATABASE_URL"] = _database_url_for_current_test_database()
        env["DATABASE_CONN_MAX_AGE"] = "0"
        # The worker writes each e-mail to a file, so tests can read what was sent.
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = str(self.mail_dir)
        self.log_path = tmp_path / "worker.log"
        self.process = subprocess.Popen(
            celery_worker_command("test-worker"),
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )

    def sent_mail(self) -> list[str]:
        """Every message the worker has sent, as raw text."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            messages += [m for m in path.read_text().split("-" * 79) if m.strip()]
        return messages

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout}s")


@pytest.fixture
def celery_worker_process(seeded_transactional_db, tmp_path):
    """A separate `celery worker` process on the test database and the test broker (Redis,
    or on the embedded stack the filesystem folders the worker finds through LAA_VAR_DIR)."""
    from health.models import WorkerHeartbeat

    worker = WorkerProcess()
    worker.start(tmp_path)
    try:
        # The worker records a heartbeat as soon as it is ready to take jobs.
        wait_until(
            lambda: WorkerHeartbeat.objects.exists() or worker.process.poll() is not None,
            timeout=60,
            message="the Celery worker did not become ready",
        )
        if worker.process.poll() is not None:
            pytest.fail(f"the Celery worker exited early:\n{worker.log()}")
        yield worker
    finally:
        worker.stop()


# --- Headless Chromium -------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Browser tests need Debian's chromium (see the README's prerequisites).")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def pytest_report_header(config):
    try:
        path = chromium_path()
    except BaseException:  # pytest.fail raises an exception that is not an Exception
        return ["browser: chromium not found"]
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()
    return [f"browser: {version} at {path}"]
