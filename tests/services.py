"""Starts the real services the suite runs against, before Django is set up.

Loaded as a pytest plugin (`-p tests.services`). The stack is chosen by LAA_TEST_STACK:

- `postgres` (the default): unless DATABASE_URL is set, a throwaway PostgreSQL cluster made
  with the machine's `initdb` and `pg_ctl`; unless CELERY_BROKER_URL is set, a throwaway
  `redis-server`. Both are removed at the end.
- `embedded`: what `make run` uses, an SQLite database and Kombu's filesystem broker, both in
  the throwaway var folder. The test database is a file there (not memory), so that a
  worker process and the live server's threads share it. Tests marked `postgres` or `redis`
  need the other stack and are deselected.

`make test` runs the suite with pytest-xdist, a worker per processor: each worker starts its
own services, so tests of different workers share nothing but the machine.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ServiceError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise ServiceError(f"nothing listened on port {port} within {timeout:.0f}s")


def _find_binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise ServiceError(
        f"`{name}` was not found. The test suite needs the PostgreSQL and Redis server "
        "binaries (see the README's prerequisites), or DATABASE_URL / CELERY_BROKER_URL "
        "pointing at running servers."
    )


def celery_worker_command(name: str) -> list[str]:
    """A `celery worker` process for tests and benchmarks: one job at a time, named."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "laa_portal",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
        "-n",
        f"{name}@%h",
    ]


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """The portal's hasher with few iterations (see pytest_sessionstart)."""

    iterations = 1_000


class SeededCopy:
    """A copy of the test database as the session seeded it, that each transactional test's
    database is restored from instead of being flushed and seeded again.

    PostgreSQL keeps it as a second database, and a restore drops the test database and
    creates it again from that template; SQLite keeps a second file, copied back with the
    online backup API. Django's own connections are closed first; processes and threads the
    tests started (workers, servers) must have stopped or closed theirs.
    """

    def __init__(self, connection) -> None:
        self.connection = connection
        self.name = connection.settings_dict["NAME"]
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            self.template = f"{self.name}_seeded"
        elif self.vendor == "sqlite":
            self.template = f"{self.name}.seeded"
        else:
            raise ServiceError(f"no seeded copy for a {self.vendor} database")

    def _close_connections(self) -> None:
        from django.db import connections

        connections.close_all()

    def _postgres(self, *statements: str) -> None:
        with self.connection._nodb_cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _sqlite_copy(self, source: str, target: str) -> None:
        import sqlite3

        src, dst = sqlite3.connect(source), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def keep(self) -> None:
        """Copies the test database as it is now."""
        self._close_connections()
        if self.vendor == "postgresql":
            self._postgres(
                f'DROP DATABASE IF EXISTS "{self.template}"',
                f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}" STRATEGY FILE_COPY',
            )
        else:
            self._sqlite_copy(str(self.name), self.template)

    def restore(self) -> None:
        """The test database again as it was kept."""
        self._close_connections()
        if self.vendor == "postgresql":
            # FORCE ends any connection still open (a server thread between requests).
            self._postgres(
                f'DROP DATABASE "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY',
            )
        else:
            self._sqlite_copy(self.template, str(self.name))

    def discard(self) -> None:
        self._close_connections()
        if self.vendor == "postgresql":
            self._postgres(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        else:
            Path(self.template).unlink(missing_ok=True)


class PostgresCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="laa-test-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.prefix: list[str] = []
        self.version = ""

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.prefix, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self) -> str:
        initdb, pg_ctl = _find_binary("initdb"), _find_binary("pg_ctl")
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: hand the cluster to an unprivileged user.
            name = "postgres"
            try:
                account = pwd.getpwnam(name)
            except KeyError:
                name, account = "nobody", pwd.getpwnam("nobody")
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.prefix = ["runuser", "-u", name, "--"]
        os.chmod(self.root, 0o700)
        try:
            self._run(
                initdb,
                "-D",
                str(self.data),
                "-U",
                "laa",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
            self._run(
                pg_ctl,
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=200",
                "start",
            )
        except subprocess.CalledProcessError as exc:
            log = self.root / "server.log"
            detail = log.read_text() if log.exists() else ""
            raise ServiceError(f"PostgreSQL did not start: {exc.stderr}\n{detail}") from exc
        postgres = Path(pg_ctl).resolve().with_name("postgres")
        self.version = self._run(str(postgres), "--version").stdout.strip()
        return f"postgres://laa@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        pg_ctl = _find_binary("pg_ctl")
        subprocess.run(
            [*self.prefix, pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """A Redis server that tests may stop and start again (to show jobs survive an outage)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="laa-test-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.version = ""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        binary = _find_binary("redis-server")
        self.version = (
            subprocess.run([binary, "--version"], capture_output=True, text=True)
            .stdout.split(" ")[2]
            .removeprefix("v=")
        )
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self.url

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


SERVICES: dict[str, object] = {}

STACKS = ("postgres", "embedded")
# Markers of tests that need a service of the PostgreSQL stack, by the stacks lacking it.
NEEDS = {"postgres": "PostgreSQL", "redis": "a Redis server the test can stop and start"}
# The marker of checks of markup alone (the crawl, the every-page check), run on the embedded
# stack, the one `make run` serves, since the pages are drawn the same on PostgreSQL.
EMBEDDED_ONLY = "embedded_only"


# What /healthz reports of each stack's database and broker.
REPORTED = {
    "postgres": {"vendor": "postgresql", "transport": "redis"},
    "embedded": {"vendor": "sqlite", "transport": "filesystem"},
}


def stack() -> str:
    name = os.environ.get("LAA_TEST_STACK", "").strip().lower() or "postgres"
    if name not in STACKS:
        raise pytest.UsageError(f"LAA_TEST_STACK must be one of {', '.join(STACKS)}, not {name!r}")
    return name


def distributing(config) -> bool:
    """Whether this process hands the tests to pytest-xdist workers and runs none itself."""
    processes = getattr(config.known_args_namespace, "numprocesses", None)
    return bool(processes) and "PYTEST_XDIST_WORKER" not in os.environ


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Runs before pytest-django sets Django up, so the settings read these variables.
    # Under pytest-xdist each worker process comes here too, and starts services of its
    # own (database cluster, Redis, var folder): a worker's tests may stop its Redis or
    # drop its database without touching another's. The process handing out the tests
    # runs none, and starts nothing.
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    var_dir = Path(tempfile.mkdtemp(prefix="laa-test-var-"))
    SERVICES["var_dir"] = var_dir
    SERVICES["stack"] = stack()
    os.environ["LAA_VAR_DIR"] = str(var_dir)
    if SERVICES["stack"] == "embedded":
        # Exactly `make run`'s defaults: SQLite and the filesystem broker in the var folder.
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("CELERY_BROKER_URL", None)
        os.environ["DATABASE_TEST_NAME"] = str(var_dir / "test_laa_portal.sqlite3")
        return (yield)
    if distributing(early_config):
        SERVICES["distributing"] = True
        return (yield)
    if not os.environ.get("DATABASE_URL"):
        cluster = PostgresCluster()
        os.environ["DATABASE_URL"] = cluster.start()
        SERVICES["postgres"] = cluster
    if not os.environ.get("CELERY_BROKER_URL"):
        redis = RedisServer()
        os.environ["CELERY_BROKER_URL"] = redis.start()
        SERVICES["redis"] = redis
    elif worker := os.environ.get("PYTEST_XDIST_WORKER"):
        # A broker given from outside is shared by the workers: each takes a Redis database
        # of its own, so one worker's Celery worker never takes another's jobs.
        url = urlsplit(os.environ["CELERY_BROKER_URL"])
        index = int(worker.removeprefix("gw")) + 1
        os.environ["CELERY_BROKER_URL"] = urlunsplit(url._replace(path=f"/{index}"))
    return (yield)


def pytest_sessionstart(session):
    from django.conf import settings

    # Passwords are stored as the portal stores them (PBKDF2-SHA256, so a worker or server
    # process started with the real settings checks them too), with few iterations: the demo
    # seed and every sign-in hash one, and a million iterations cost a second each.
    settings.PASSWORD_HASHERS = [
        "tests.services.QuickPBKDF2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    if SERVICES.get("stack") == "embedded":
        from django.db.backends.signals import connection_created

        connection_created.connect(_sqlite_without_fsync)


def _sqlite_without_fsync(sender, connection, **kwargs):
    """As the throwaway PostgreSQL cluster runs with fsync off: the suite's own connections
    to the SQLite file do not wait for the disk at each commit (locking is unchanged)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")


def pytest_collection_modifyitems(config, items):
    """On the embedded stack, tests needing PostgreSQL or a stoppable Redis are left out; on
    the PostgreSQL stack, the checks of markup alone."""
    left_out_by = NEEDS if SERVICES.get("stack") == "embedded" else [EMBEDDED_ONLY]
    kept, left_out = [], []
    for item in items:
        (left_out if any(item.get_closest_marker(m) for m in left_out_by) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_report_header(config):
    if SERVICES.get("stack") == "embedded":
        import sqlite3

        return [
            "stack: embedded (LAA_TEST_STACK=embedded), as `make run`",
            f"database: SQLite {sqlite3.sqlite_version} (a file in the throwaway var folder)",
            "broker: Kombu's filesystem transport (folders in the throwaway var folder)",
            "deselected: tests marked "
            + ", ".join(f"{marker} (needs {what})" for marker, what in NEEDS.items()),
        ]
    lines = [
        "stack: PostgreSQL and Redis (LAA_TEST_STACK=postgres)",
        f"deselected: tests marked {EMBEDDED_ONLY} (markup alone, checked on the embedded stack)",
    ]
    if SERVICES.get("distributing") and not os.environ.get("DATABASE_URL"):
        return [*lines, "database and broker: a throwaway PostgreSQL and Redis per worker"]
    cluster = SERVICES.get("postgres")
    redis = SERVICES.get("redis")
    lines.append(
        f"database: {cluster.version} (throwaway cluster on port {cluster.port})"
        if cluster
        else "database: DATABASE_URL from the environment"
    )
    lines.append(
        f"broker: Redis {redis.version} (throwaway server on port {redis.port})"
        if redis
        else "broker: CELERY_BROKER_URL from the environment"
    )
    return lines


def pytest_unconfigure(config):
    redis = SERVICES.pop("redis", None)
    if redis is not None:
        redis.cleanup()
    cluster = SERVICES.pop("postgres", None)
    if cluster is not None:
        cluster.stop()
    var_dir = SERVICES.pop("var_dir", None)
    if var_dir is not None:
        shutil.rmtree(var_dir, ignore_errors=True)
