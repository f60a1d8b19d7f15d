"""What a hung broker costs: time of /healthz's broker probe and of a publish.

Run as `python -m tests.bench.faults`. A socket that accepts connections and never answers
stands in for a Redis stopped with SIGSTOP. It prints, in seconds:

- one health probe, and the slowest of 40 polls made at once (the bound is 2 s; the polls
  share one probe, so they never hold 40 threads on the broker);
- the first publish (a workflow move's e-mail, a PDF request), bounded by BROKER_TIMEOUT;
- the next publish from the same process, which does not wait on the broker again for
  BROKER_RETRY_AFTER seconds (the row is sent later by beat).

It needs no database.
"""

from __future__ import annotations

import os
import socket
import threading
import time

server = socket.create_server(("127.0.0.1", 0), backlog=200)
held: list[socket.socket] = []


def _accept() -> None:
    while True:
        connection, _ = server.accept()
        held.append(connection)


threading.Thread(target=_accept, daemon=True).start()
os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laa_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from core.broker import publish  # noqa: E402
from health.services import check_broker, forget_broker_check  # noqa: E402


def timed(call) -> tuple[object, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def main() -> None:
    print(
        "Against a broker that accepts and never answers "
        f"(BROKER_TIMEOUT={settings.BROKER_TIMEOUT} s)"
    )
    report, seconds = timed(check_broker)
    print(f"  health probe:                 {seconds:6.2f} s  ({report['error']})")
    forget_broker_check()
    times: list[float] = []
    polls = [
        threading.Thread(target=lambda: times.append(timed(check_broker)[1])) for _ in range(40)
    ]
    for poll in polls:
        poll.start()
    for poll in polls:
        poll.join()
    print(f"  40 polls at once, slowest:    {max(times):6.2f} s")
    sent, seconds = timed(lambda: publish("notifications.tasks.send_notification", 1))
    print(f"  first publish:                {seconds:6.2f} s  (sent: {sent})")
    sent, seconds = timed(lambda: publish("notifications.tasks.send_notification", 2))
    print(f"  next publish, same process:   {seconds:6.2f} s  (sent: {sent}, kept for beat)")


if __name__ == "__main__":
    main()
