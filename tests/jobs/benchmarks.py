"""Figures for background jobs, printed by `tests/benchmarks.py` (`make benchmark`).

- One 51-target agreement PDF through our code, beside WeasyPrint rendering the same HTML
  on its own (without and with our stylesheet), and as a whole job run in-process.
- The zip export of 150 signed agreements with one and with two `celery worker`
  processes on the benchmark's Redis and PostgreSQL.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.services import celery_worker_command

ROOT = Path(__file__).resolve().parents[2]
PDF_REPEATS = 5


def _median(func, repeats: int = PDF_REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pdf_figures(agreement, actor) -> None:
    from weasyprint import CSS, HTML

    from agreements.pdf import STYLESHEET, agreement_pdf_html, render_agreement_pdf, source_for
    from jobs import services

    html = agreement_pdf_html(source_for(agreement))
    targets = agreement.targets.count()
    rendered = render_agreement_pdf(agreement)
    ours = _median(lambda: render_agreement_pdf(agreement))
    alone = _median(lambda: HTML(string=html).write_pdf())
    styled = _median(
        lambda: HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
            stylesheets=[CSS(filename=str(STYLESHEET))]
        )
    )

    def whole_job():
        job = services.agreement_pdf_request(agreement=agreement, actor=actor)
        services.job_run(job_id=job.pk)

    job = _median(whole_job)
    label = f"{targets} targets, {len(rendered) // 1024} KB"
    for text, seconds in [
        (f"agreement PDF through our code ({label})", ours),
        ("  WeasyPrint alone, HTML(string=same_html).write_pdf()", alone),
        ("  WeasyPrint alone, same HTML with our print stylesheet", styled),
        ("  whole PDF job in-process (row, snapshot, render, file)", job),
    ]:
        print(f"{text:<58} {seconds * 1000:9.1f} ms median")


class _Worker:
    def __init__(self, name: str, folder: Path):
        self.log_path = folder / f"{name}.log"
        self.process = subprocess.Popen(
            celery_worker_command(name),
            cwd=ROOT,
            env={**os.environ, "DATABASE_CONN_MAX_AGE": "0"},
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while " ready." not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the worker did not start:\n{self.log()}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def _sign_all(round_, admin, count: int) -> int:
    from django.utils import timezone

    from accounts.models import Area
    from agreements import services
    from agreements.models import Agreement
    from negotiations.models import Version
    from negotiations.versions import snapshot
    from negotiations.workflow import Stage

    for area in Area.objects.order_by("name")[:count]:
        agreement, _ = services.agreement_open(area=area, round=round_, actor=admin)
        if agreement.signed_version_id:
            continue
        last = agreement.versions.order_by("-number").first()
        number = last.number + 1 if last else 1
        version = Version.objects.create(
            agreement=agreement, number=number, content=snapshot(agreement), created_by=admin
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            signed_version=version, signed_at=timezone.now(), stage=Stage.SIGNED
        )
    return Agreement.objects.filter(round=round_, signed_version__isnull=False).count()


def _export_once(round_, admin, workers: list[_Worker], run_number: int) -> float:
    from django.core.files.storage import default_storage

    from jobs import services
    from jobs.models import Kind, State, VersionPdf

    # Every signed PDF is rendered afresh: the figure is for a first export.
    for pdf in VersionPdf.objects.all():
        default_storage.delete(pdf.file.name)
    VersionPdf.objects.all().delete()
    started = time.perf_counter()
    job = services.export_request(kind=Kind.SIGNED_AGREEMENTS_ZIP, round_=round_, actor=admin)
    deadline = time.monotonic() + 1800
    while True:
        job.refresh_from_db()
        if job.state in (State.DONE, State.FAILED):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the export did not finish:\n" + workers[0].log())
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if job.state != State.DONE:
        raise RuntimeError(f"the export failed: {job.error}")
    # The helper task sent with the export must have run before the next export starts.
    while _helpers_done(workers) < run_number:
        time.sleep(0.1)
    return seconds


def _helper_rendered(worker: _Worker) -> int:
    """What the helper task returned on this worker (Celery logs "succeeded in 1.2s: 75")."""
    for line in reversed(worker.log().splitlines()):
        if "prepare_signed_pdfs[" in line and "succeeded" in line:
            return int(line.rsplit(":", 1)[-1].strip())
    return 0


def _helpers_done(workers: list[_Worker]) -> int:
    return sum(
        1
        for worker in workers
        for line in worker.log().splitlines()
        if "prepare_signed_pdfs[" in line and "succeeded" in line
    )


def export_figures(count: int = 150) -> None:
    from django.conf import settings

    from accounts.models import User
    from indicators.models import Round

    round_ = Round.objects.get(slug="2008-11")
    admin = User.objects.get(email="admin@example.org")

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        print("zip export: skipped (needs Redis)")
        return
    signed = _sign_all(round_, admin, count)
    folder = Path(tempfile.mkdtemp(prefix="laa-bench-workers-"))
    workers = [_Worker("bench-1", folder)]
    try:
        workers[0].wait_ready()
        one = _export_once(round_, admin, workers, 1)
        print(f"{f'zip export of {signed} signed agreements, one worker':<58} {one:9.2f} s")
        workers.append(_Worker("bench-2", folder))
        workers[1].wait_ready()
        two = _export_once(round_, admin, workers, 2)
        print(f"{f'zip export of {signed} signed agreements, two workers':<58} {two:9.2f} s")
        helped = _helper_rendered(workers[1])
        print(f"{'  PDFs rendered by the second worker meanwhile':<58} {helped:9d}")
        print(f"{'  processors on this machine':<58} {os.cpu_count():9d}")
    finally:
        for worker in workers:
            worker.stop()
