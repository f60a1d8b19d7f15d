"""The read API's agreed targets dataset of a national round: requests per second through
Django's test client (the whole stack but the socket: token authentication, throttling,
the request log, the query and the rendering), as JSON and as CSV, for the national team's
token and a Government Office's.

The round's signed agreements are made exactly the wanted number for the measurement (the
export benchmark's `_signed_set`, which puts everything back)."""

from __future__ import annotations

import os
import time

SIGNED = 150


def _rate(client, path: str, headers: dict, seconds: float) -> tuple[float, int, int, int]:
    """Requests per second over `seconds` (at least 3 requests), with the queries, rows
    and bytes of one answer."""
    from django.db import connection

    counted = []

    def count(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    # Counted as the database is called, whatever the query log holds (DEBUG is off).
    with connection.execute_wrapper(count):
        first = client.get(path, secure=True, **headers)
    if first.status_code != 200:
        raise RuntimeError(f"{path} answered {first.status_code}")
    size = len(first.content)
    rows = first.content.count(b"\n") - 1 if b"text/csv" in first["Content-Type"].encode() else 0
    if not rows:
        rows = len(first.json()["rows"])
    done, started = 0, time.perf_counter()
    while done < 3 or time.perf_counter() - started < seconds:
        response = client.get(path, secure=True, **headers)
        assert response.status_code == 200
        done += 1
    return done / (time.perf_counter() - started), len(counted), rows, size


def api_dataset_figures(round_, cast, count: int = SIGNED) -> None:
    from django.test import Client, override_settings

    from accounts.models import Organisation, User
    from api import services
    from tests.jobs.benchmarks import _signed_set

    admin = User.objects.get(email="admin@example.org")
    seconds = min(float(os.environ.get("BENCH_PAGE_SECONDS", "30")), 10.0)
    go = cast.agreement.area.government_office
    tokens = {
        "admin (national)": services.token_create_personal(
            actor=admin, name="benchmark", expires_in_days=30
        ).secret,
        f"{go.name} system": services.token_create_for_organisation(
            actor=admin,
            organisation=Organisation.objects.get(pk=go.pk),
            name="benchmark",
            expires_in_days=30,
        ).secret,
    }
    path = f"/api/v1/rounds/{round_.slug}/agreed-targets/"
    # The benchmark measures the endpoint, not the throttle's refusals.
    with (
        override_settings(API_THROTTLE_RATE="1000000/minute"),
        _signed_set(round_, admin, count) as (signed, _filled),
    ):
        print(f"{signed} signed agreements in {round_.slug}; {seconds:.0f} s per line")
        print(f"{'reader':<32} {'format':<6} {'rows':>6} {'KB':>7} {'queries':>7} {'req/s':>7}")
        client = Client(HTTP_HOST="localhost")
        for reader, secret in tokens.items():
            for label, accept in (("json", "application/json"), ("csv", "text/csv")):
                headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT": accept}
                rate, queries, rows, size = _rate(client, path, headers, seconds)
                print(
                    f"{reader:<32} {label:<6} {rows:>6,} {size / 1024:>7.0f} {queries:>7} "
                    f"{rate:>7.1f}",
                    flush=True,
                )
