"""Benchmarks: prints figures, asserts nothing. Run with `make benchmark`.

Starts a throwaway PostgreSQL cluster (as the test suite does), loads the reference and demo
data, builds a 51-target agreement and a GO with every area open, then measures the pages
people wait on: median time of repeated requests and the number of queries each runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 15


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.services import PostgresCluster, RedisServer

    cluster = None
    if not os.environ.get("DATABASE_URL"):
        cluster = PostgresCluster()
        os.environ["DATABASE_URL"] = cluster.start()
    redis = None
    if not os.environ.get("CELERY_BROKER_URL"):  # for the export through real workers
        redis = RedisServer()
        os.environ["CELERY_BROKER_URL"] = redis.start()
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LAA_VAR_DIR", tempfile.mkdtemp(prefix="laa-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laa_portal.settings")
    try:
        run()
        from tests.jobs import benchmarks as jobs_benchmarks

        jobs_benchmarks.export_figures()  # last: it signs every agreement of the round
    finally:
        if redis is not None:
            redis.cleanup()
        if cluster is not None:
            cluster.stop()


def timed(label: str, func) -> float:
    started = time.perf_counter()
    func()
    seconds = time.perf_counter() - started
    print(f"{label:<58} {seconds * 1000:9.1f} ms")
    return seconds


def measure_page(client, label: str, path: str) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log is bounded: a full one would count nothing new
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - started)
    print(
        f"{label:<58} {statistics.median(times) * 1000:9.1f} ms median, "
        f"{len(queries.captured_queries):3d} queries"
    )


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from accounts.demo import demo_seed
    from accounts.models import Area, Organisation, User
    from agreements import services
    from agreements.models import Agreement, Target
    from indicators.models import Indicator, Round
    from indicators.reference_data import load
    from negotiations import services as negotiation
    from negotiations.workflow import Action, Stage

    call_command("migrate", verbosity=0)
    print("LAA Portal benchmarks (PostgreSQL, Django test client, no network)")
    print("-" * 96)
    timed("load_reference_data, empty database", load)
    timed("load_reference_data, again (no changes)", load)
    timed("seed_demo", lambda: demo_seed(force=True))

    # A 51-target agreement: 35 designated and the 16 statutory targets.
    leeds = Area.objects.get(name="Leeds")
    round_ = Round.objects.get(slug="2008-11")
    coordinator = User.objects.get(email="coordinator2@example.org")
    agreement, _ = services.agreement_open(area=leeds, round=round_, actor=coordinator)
    lead = leeds.organisations.get(kind=Organisation.Kind.LOCALITY)
    free = (
        round_.catalogue.filter(is_statutory=False)
        .exclude(indicator__targets__agreement=agreement)
        .order_by("indicator__number")
        .values_list("indicator__code", flat=True)
    )
    codes = list(free[: 35 - agreement.targets.filter(kind="designated").count()])

    def add_targets():
        for code in codes:
            services.target_create(
                agreement=agreement,
                actor=coordinator,
                kind=Target.Kind.DESIGNATED,
                fields=services.TargetFields(
                    indicator=Indicator.objects.get(code=code),
                    baseline_value=Decimal(10),
                    baseline_year="2007/08",
                    yearly_values=(Decimal(11), Decimal(12), Decimal(13)),
                    lead_partner=lead,
                ),
            )

    timed(f"add {len(codes)} designated targets through the service", add_targets)
    print(f"targets in the Leeds agreement: {agreement.targets.count()}")

    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    base = "/agreements/2008-11/leeds/"
    measure_page(client, "agreement overview (51 targets)", base)
    measure_page(client, "targets list (51 targets)", base + "targets/")
    measure_page(client, "print view (51 targets)", base + "print/")
    measure_page(client, "completeness check (51 targets)", base + "completeness/")
    from tests.jobs import benchmarks as jobs_benchmarks

    jobs_benchmarks.pdf_figures(agreement, coordinator)

    # Two versions of 51 targets each, compared.
    for target in agreement.targets.filter(kind="statutory"):
        Target.objects.filter(pk=target.pk).update(
            baseline_value=Decimal(5), yearly_values=["6", "7", "8"], lead_partner=lead
        )
    services.agreement_theme_add(
        agreement=agreement, actor=coordinator, theme=round_.themes.get(name="Local economy")
    )
    services.outcome_create(
        agreement=agreement,
        actor=coordinator,
        agreement_theme=agreement.themes.get(),
        title="More jobs",
    )
    agreement.refresh_from_db()
    services.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place="Leeds grows.",
        governance="",
    )
    negotiation.agreement_transition(
        agreement=agreement, actor=coordinator, action=Action.SUBMIT, expected_stage=Stage.DRAFTING
    )
    from negotiations.models import Version

    first = Version.objects.get(agreement=agreement, number=1)
    Version.objects.create(
        agreement=agreement, number=2, content=first.content, created_by=coordinator
    )
    admin = User.objects.get(email="admin@example.org")
    client.force_login(admin)
    measure_page(
        client, "compare two versions of 51 targets each", base + "versions/compare/?from=1&to=2"
    )

    # A GO with every one of its areas open.
    negotiator = User.objects.get(email="negotiator@example.org")
    for area in Area.objects.filter(government_office=negotiator.organisation):
        services.agreement_open(area=area, round=round_, actor=admin)
    count = Agreement.objects.filter(area__government_office=negotiator.organisation).count()
    client.force_login(negotiator)
    measure_page(client, f"GO home with your work ({count} agreements)", "/")
    measure_page(client, f"agreements list with whose turn ({count} agreements)", "/agreements/")
    measure_page(client, "indicator search ?q=mortality", "/indicators/?q=mortality")

    # Status dashboards: the GO's, then the country's with every area's agreement open.
    measure_page(client, f"regional dashboard ({count} agreements)", "/dashboards/go-north-west/")
    unopened = Area.objects.exclude(agreements__round=round_)
    Agreement.objects.bulk_create(Agreement(area=area, round=round_) for area in unopened)
    total = Agreement.objects.filter(round=round_).count()
    client.force_login(admin)
    measure_page(client, f"national dashboard ({total} agreements)", "/dashboards/")
    measure_page(client, f"national summary PDF ({total} agreements)", "/dashboards/summary.pdf")


if __name__ == "__main__":
    main()
