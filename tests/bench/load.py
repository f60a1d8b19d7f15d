"""A read-heavy mixed load through gunicorn, run as the Dockerfile runs it, driven by `wrk`.

gunicorn serves the benchmark's database on 127.0.0.1 only, with the production settings
(DEBUG off, hashed static files, HTTPS as said by the proxy's X-Forwarded-Proto). People
of all five roles are signed in; `wrk` rotates the pages each may open and their session
cookies for a bounded time, then the trivial view alone is driven the same way.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.bench.pages import TRIVIAL, Cast, Result
from tests.bench.urls import TRIVIAL_PATH
from tests.services import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("mixed.lua")
WORKERS = 3  # as the Dockerfile's CMD
THREADS = 2
CONNECTIONS = 6


class Gunicorn:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.log_path = folder / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "laa_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        wait_for_port(self.port, timeout=60)
        request = urllib.request.Request(self.base + "/healthz", headers={"Host": "localhost"})
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(request, timeout=10)
                return
            except urllib.error.HTTPError:
                return  # answering, even if the health check itself is unhappy
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(
                        "gunicorn did not start:\n" + self.log_path.read_text()
                    ) from None
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def session_cookies(cast: Cast) -> dict[str, str]:
    """A Cookie header per role, from a session the test client signs in (stored in the
    database, so gunicorn's workers accept it)."""
    from django.conf import settings
    from django.test import Client

    cookies = {}
    for role, user in cast.users.items():
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies[role] = f"{name}={client.cookies[name].value}"
    return cookies


def _run_wrk(wrk: str, base: str, lines: list[tuple[str, str]], folder: Path, seconds: int):
    requests_file = folder / "requests.tsv"
    requests_file.write_text("".join(f"{path}\t{cookie}\n" for path, cookie in lines))
    completed = subprocess.run(
        [
            wrk,
            f"--threads={THREADS}",
            f"--connections={CONNECTIONS}",
            f"--duration={seconds}s",
            "--timeout=60s",
            f"--script={SCRIPT}",
            base + "/",
            "--",
            str(requests_file),
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    found = re.search(r"^RESULT (.*)$", completed.stdout, re.MULTILINE)
    if completed.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed:\n{completed.stdout}\n{completed.stderr}")
    return {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", found.group(1))}


def _print_line(label: str, figures: dict) -> None:
    rate = figures["requests"] / figures["seconds"] if figures["seconds"] else 0.0
    errors = sum(figures[key] for key in ("connect", "read", "write", "timeout"))
    print(
        f"{label:<34} {rate:8.1f} {figures['p50'] / 1000:8.1f} {figures['p95'] / 1000:8.1f} "
        f"{figures['p99'] / 1000:8.1f} {figures['max'] / 1000:8.1f} "
        f"{int(figures['requests']):8d} {int(figures['non2xx']):7d} {int(errors):6d}"
    )


def load_figures(cast: Cast, results: list[Result], folder: Path, seconds: int) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("mixed load: skipped, `wrk` is not installed (Debian: apt-get install wrk)")
        return
    cookies = session_cookies(cast)
    # Every page and role that answered 200 in the table, in a fixed shuffled order.
    mixed = [(r.path, cookies[r.role]) for r in results if r.ok and r.page != TRIVIAL]
    random.Random(2008).shuffle(mixed)
    trivial = [(TRIVIAL_PATH, cookies[role]) for role in sorted(cookies)]
    folder.mkdir(parents=True, exist_ok=True)
    server = Gunicorn(folder)
    try:
        server.wait_ready()
        print(
            f"gunicorn, {WORKERS} sync workers on 127.0.0.1; wrk {THREADS} threads, "
            f"{CONNECTIONS} connections, {seconds} s each; {len(mixed)} page/role pairs "
            f"rotated across {len(cookies)} signed-in roles"
        )
        print(
            f"{'load':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8} {'requests':>8} {'non-2xx':>7} {'errors':>6}"
        )
        # A short warm-up, so that each worker has imported and connected before timing.
        _run_wrk(wrk, server.base, mixed, folder, 3)
        _print_line("mixed pages, all roles", _run_wrk(wrk, server.base, mixed, folder, seconds))
        _print_line("trivial view alone", _run_wrk(wrk, server.base, trivial, folder, seconds))
    finally:
        server.stop()
