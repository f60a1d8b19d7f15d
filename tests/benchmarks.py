"""Benchmarks of a national round: prints figures, asserts nothing. Run with `make benchmark`.

On a throwaway PostgreSQL cluster and Redis server, with the production settings (DEBUG off):

1. migrate, load the reference data, create the demo logins, then build the national round
   (`portal.national.seed_national`) at scale 1 (150 areas), and later at scale 10
   (1,500 areas); dataset counts and seeding times;
2. at each scale, the key pages per role through Django's test client: queries, median
   time, and the ratio to a trivial one-query page behind the same middleware;
3. at each scale, a read-heavy mixed load through gunicorn (as the Dockerfile runs it)
   driven by `wrk` on 127.0.0.1, and the trivial page alone under the same set-up;
4. each page's time at scale 10 over its time at scale 1;
5. one agreement's PDF beside WeasyPrint alone, and the zip export of 150 signed
   51-target agreements with one and two Celery workers;
6. at the first scale, a target page with its ambition figures among 150 signed agreements
   against the same page without them (`tests/bench/ambition.py`).

Options, from the environment (or `python -m tests.benchmarks 1` for the scales):
BENCH_SCALES ("1,10"), BENCH_SKIP_LOAD, BENCH_SKIP_PDF, BENCH_LOAD_SECONDS (30),
BENCH_PAGE_SECONDS (30: timed seconds per page and role before stopping at 5 repeats),
BENCH_AREAS (build only this many areas) and BENCH_EXPORT_AGREEMENTS (150), for a quick
check of the benchmark itself.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _scales(argv: list[str]) -> list[int]:
    raw = argv[0] if argv else os.environ.get("BENCH_SCALES", "1,10")
    scales = sorted({int(part) for part in raw.replace(" ", "").split(",") if part})
    if not scales or any(scale < 1 for scale in scales):
        raise SystemExit(f"BENCH_SCALES must list whole numbers of 1 or more, not {raw!r}")
    return scales


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.services import PostgresCluster, RedisServer

    scales = _scales(argv)
    folder = Path(tempfile.mkdtemp(prefix="laa-bench-"))
    cluster = PostgresCluster()
    redis = RedisServer()
    try:
        os.environ.update(
            DATABASE_URL=cluster.start(),
            CELERY_BROKER_URL=redis.start(),
            DJANGO_SETTINGS_MODULE="tests.bench.settings",
            # The production configuration, as behind the proxy that terminates TLS.
            DEBUG="false",
            SECRET_KEY="benchmark-" + secrets.token_urlsafe(48),
            ALLOWED_HOSTS="localhost,127.0.0.1",
            TRUST_X_FORWARDED_PROTO="true",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            LOG_LEVEL="WARNING",
            # The timed people sign in with a password only: the pages are timed, not the
            # second factor's step.
            TWO_FACTOR_REQUIRED_ROLES="",
            LAA_VAR_DIR=str(folder / "var"),
            MEDIA_ROOT=str(folder / "var" / "media"),
            STATIC_ROOT=str(folder / "static"),
        )
        (folder / "var").mkdir()
        started = time.perf_counter()
        run(scales, folder)
        print(f"\nbenchmark finished in {(time.perf_counter() - started) / 60:.1f} min")
        if FAILURES:
            print(f"parts that failed: {', '.join(FAILURES)}")
    finally:
        redis.cleanup()
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def timed(label: str, func):
    started = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - started
    print(f"{label:<64} {seconds:9.1f} s", flush=True)
    return value


def heading(text: str) -> None:
    print()
    print(text)
    print("-" * WIDTH, flush=True)


FAILURES: list[str] = []


def attempt(label: str, func, *args) -> None:
    """Run one part; a failure is printed (briefly) and the other parts still run."""
    try:
        func(*args)
    except Exception as exc:
        lines = str(exc).strip().splitlines() or [""]
        print(f"{label}: ERROR: {type(exc).__name__}: {lines[0]}")
        for line in lines[1:][-15:]:  # the end of a worker's or server's log
            print(f"  | {line}")
        FAILURES.append(label)


def load_average() -> str:
    # Other work on the machine moves every figure: say how busy it was.
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} processors"


def dataset_counts(round_) -> dict[str, int]:
    from django.db.models import Q

    from accounts.models import Area, User
    from agreements.models import Agreement, Target
    from freedoms.models import FreedomRequest
    from negotiations.models import Comment, Version

    agreements = Agreement.objects.filter(round=round_)
    return {
        "areas": Area.objects.count(),
        "agreements": agreements.count(),
        "signed agreements": agreements.filter(signed_version__isnull=False).count(),
        "targets": Target.objects.count(),
        "designated + statutory targets": Target.objects.filter(
            Q(kind="designated") | Q(kind="statutory")
        ).count(),
        "versions": Version.objects.count(),
        "comments": Comment.objects.count(),
        "freedoms requests": FreedomRequest.objects.count(),
        "users": User.objects.count(),
    }


def run(scales: list[int], folder: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from agreements.models import Agreement
    from indicators.models import Round
    from indicators.reference_data import load
    from portal.demo import demo_seed
    from portal.national import seed_national
    from tests.bench import pages as bench_pages

    areas = int(os.environ["BENCH_AREAS"]) if os.environ.get("BENCH_AREAS") else None
    print("LAA Portal benchmarks: a national round on PostgreSQL, DEBUG off")
    print(f"scales {', '.join(f'{s}x' for s in scales)}; {load_average()}")
    heading("Set-up")
    timed(
        "collectstatic (hashed files, as in production)",
        lambda: call_command("collectstatic", interactive=False, verbosity=0),
    )
    timed("migrate", lambda: call_command("migrate", verbosity=0))
    timed("load_reference_data, empty database", load)
    timed("load_reference_data, again (no changes)", load)
    timed("demo logins and demo data (demo_seed)", lambda: demo_seed(force=True))
    round_ = Round.objects.get(slug="2008-11")

    by_scale: dict[int, list] = {}
    cast = None
    for scale in scales:
        heading(f"Scale {scale}x" + (f" (BENCH_AREAS={areas})" if areas else ""))
        made = timed(
            f"seed_national(scale={scale})",
            lambda scale=scale: seed_national(scale=scale, areas=areas),
        )
        if made:
            print("  made: " + ", ".join(f"{key} {value:,}" for key, value in made.items()))
        for key, value in dataset_counts(round_).items():
            print(f"  {key:<40} {value:>10,}")
        if cast is None:  # the same agreement and people at every scale
            cast = bench_pages.cast_for(round_)
        for line in cast.describe():
            print(line)
        pages = bench_pages.pages_for(cast)
        print(f"\nKey pages by role ({load_average()} before)")
        started = time.perf_counter()
        results = bench_pages.measure_all(cast, pages)
        bench_pages.print_table(results)
        print(f"(measured in {time.perf_counter() - started:.0f} s; {load_average()})", flush=True)
        by_scale[scale] = results
        if scale == scales[0]:
            from tests.bench.api import api_dataset_figures

            heading(f"Read API: the agreed targets dataset of the round ({load_average()})")
            attempt("API dataset", api_dataset_figures, round_, cast)
        if scale == scales[0]:
            from tests.bench.ambition import ambition_figures

            heading(
                f"Ambition in context: a target page among signed agreements ({load_average()})"
            )
            attempt("ambition figures", ambition_figures, round_, cast)
        if _flag("BENCH_SKIP_LOAD"):
            print("\nmixed load: skipped (BENCH_SKIP_LOAD)")
        else:
            from tests.bench.load import load_figures

            print()
            seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
            attempt("mixed load", load_figures, cast, results, folder / f"load-{scale}x", seconds)

    if len(by_scale) > 1:
        heading(f"Scale {scales[-1]}x over scale {scales[0]}x, median time per page and role")
        bench_pages.print_comparison(by_scale)

    if _flag("BENCH_SKIP_PDF"):
        print("\nPDF and zip export: skipped (BENCH_SKIP_PDF)")
        return
    from tests.jobs import benchmarks as jobs_benchmarks

    heading(f"PDF and zip export ({load_average()})")
    agreement = Agreement.objects.select_related("area", "round").get(pk=cast.agreement.pk)
    coordinator = cast.users[bench_pages.COORDINATOR]
    attempt("agreement PDF", jobs_benchmarks.pdf_figures, agreement, coordinator)
    attempt("zip export", jobs_benchmarks.export_figures)  # last: it signs agreements


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(1 if FAILURES else 0)
