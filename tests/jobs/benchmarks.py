"""Figures for background jobs, printed by `tests/benchmarks.py` (`make benchmark`).

- One agreement's PDF through our code, beside WeasyPrint rendering the same HTML on its
  own (without and with our stylesheet), and as a whole job run in-process.
- The zip export of 150 signed agreements of 35 designated and 16 statutory targets each,
  with one and with two `celery worker` processes on the benchmark's Redis and PostgreSQL:
  PDFs per minute, the speed-up, and how many PDFs each worker rendered.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from tests.services import celery_worker_command

ROOT = Path(__file__).resolve().parents[2]
PDF_REPEATS = 3
EXPORT_AGREEMENTS = int(os.environ.get("BENCH_EXPORT_AGREEMENTS", "150"))
DESIGNATED, STATUTORY = 35, 16


def _median(func, repeats: int = PDF_REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pdf_figures(agreement, actor) -> None:
    from weasyprint import CSS, HTML

    from jobs import services
    from jobs.pdf import STYLESHEET, agreement_pdf_html, render_agreement_pdf, source_for

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
    label = f"{agreement.area.name}, {targets} targets, {len(rendered) // 1024} KB"
    for text, seconds in [
        (f"agreement PDF through our code ({label})", ours),
        ("  WeasyPrint alone, HTML(string=same_html).write_pdf()", alone),
        ("  WeasyPrint alone, same HTML with our print stylesheet", styled),
        ("  whole PDF job in-process (row, snapshot, render, file)", job),
    ]:
        print(f"{text:<64} {seconds * 1000:9.1f} ms median")
    print(f"{'  our code / WeasyPrint alone on the same HTML':<64} {ours / alone:9.2f} x")
    print(f"{'  our code / WeasyPrint with our stylesheet':<64} {ours / styled:9.2f} x")


class _Worker:
    def __init__(self, name: str, folder: Path):
        self.name = name
        self.log_path = folder / f"{name}.log"
        self.process = subprocess.Popen(
            celery_worker_command(name),
            cwd=ROOT,
            # INFO: the worker's "succeeded in 1.2s: 73" lines are what is counted below.
            env={**os.environ, "DATABASE_CONN_MAX_AGE": "0", "LOG_LEVEL": "INFO"},
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.mark = 0

    def log(self) -> str:
        return self.log_path.read_text()

    def since_mark(self) -> str:
        return self.log()[self.mark :]

    def set_mark(self) -> None:
        self.mark = len(self.log())

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while " ready." not in self.log():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the worker did not start:\n{self.log()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def _full_agreements(round_):
    """The round's agreements with at least 35 designated and 16 statutory targets."""
    from django.db.models import Count, Q

    from agreements.models import Agreement

    return (
        Agreement.objects.filter(round=round_)
        .annotate(
            designated=Count("targets", filter=Q(targets__kind="designated")),
            statutory=Count("targets", filter=Q(targets__kind="statutory")),
        )
        .filter(designated__gte=DESIGNATED, statutory__gte=STATUTORY)
    )


def _fill(agreement) -> list[int]:
    """Give an agreement the designated and statutory targets it lacks (a demo agreement
    the national seed left as it was). Returns the new targets' ids, to remove them later."""
    from accounts.models import Organisation
    from agreements.models import Target

    round_ = agreement.round
    lead = agreement.area.organisations.filter(kind=Organisation.Kind.LOCALITY).first()
    values = [str(11 + year) for year in range(len(round_.years))]
    made = []
    for kind, statutory, needed in [
        (Target.Kind.DESIGNATED, False, DESIGNATED),
        (Target.Kind.STATUTORY, True, STATUTORY),
    ]:
        lacking = needed - agreement.targets.filter(kind=kind).count()
        if lacking <= 0:
            continue
        free = (
            round_.catalogue.filter(is_statutory=statutory)
            .exclude(indicator__targets__agreement=agreement)
            .order_by("indicator__number")
            .values_list("indicator_id", flat=True)[:lacking]
        )
        made += Target.objects.bulk_create(
            Target(
                agreement=agreement,
                kind=kind,
                indicator_id=indicator_id,
                baseline_value=Decimal(10),
                baseline_year=round_.years[0],
                yearly_values=values,
                lead_partner=lead,
            )
            for indicator_id in free
        )
    return [target.pk for target in made]


@contextmanager
def _signed_set(round_, admin, count: int):
    """Make the round's signed agreements exactly `count` full ones for the export, then
    put everything back. The seeded round's signed full agreements come first, then more
    full ones signed as the sign-off's last step leaves them (a new version of the
    agreement as it stands), then, if the round has too few full ones, others given the
    targets they lack; any other signed agreement is set aside meanwhile.
    Yields (how many are signed, how many were given targets)."""
    from django.utils import timezone

    from agreements.models import Agreement, Target
    from agreements.services import signed_targets_record
    from agreements.stages import Stage
    from negotiations.models import Version
    from negotiations.versions import snapshot

    agreements = Agreement.objects.filter(round=round_).select_related("area", "round")
    full = _full_agreements(round_).order_by("area__name")
    chosen = list(full.filter(signed_version__isnull=False).values_list("pk", flat=True)[:count])
    aside = list(
        agreements.filter(signed_version__isnull=False)
        .exclude(pk__in=chosen)
        .values_list("pk", "signed_version_id", "signed_at")
    )
    wanted = max(count - len(chosen), 0)
    to_sign = list(full.filter(signed_version__isnull=True)[:wanted])
    # Agreements the seed left as the demo made them: unsigned ones first, then signed ones
    # (set aside, so signed afresh here and given their own signature back at the end).
    others = agreements.exclude(pk__in=full.values("pk")).order_by("area__name")
    to_fill = [
        *others.filter(signed_version__isnull=True),
        *others.filter(signed_version__isnull=False),
    ][: wanted - len(to_sign)]
    signed_here: list[tuple[int, str, int]] = []  # (agreement, stage before, new version)
    added_targets: list[int] = []
    try:
        Agreement.objects.filter(pk__in=[row[0] for row in aside]).update(signed_version=None)
        for agreement in to_fill:
            added_targets += _fill(agreement)
        for agreement in to_sign + to_fill:
            last = agreement.versions.order_by("-number").first()
            number = last.number + 1 if last else 1
            version = Version.objects.create(
                agreement=agreement, number=number, content=snapshot(agreement), created_by=admin
            )
            signed_here.append((agreement.pk, agreement.stage, version.pk))
            Agreement.objects.filter(pk=agreement.pk).update(
                signed_version=version, signed_at=timezone.now(), stage=Stage.SIGNED
            )
            agreement.signed_version = version
        # As the sign-off's last signature would; the rows go with the versions after.
        signed_targets_record(agreements=to_sign + to_fill)
        yield agreements.filter(signed_version__isnull=False).count(), len(to_fill)
    finally:
        for pk, stage, version_id in signed_here:
            Agreement.objects.filter(pk=pk).update(signed_version=None, signed_at=None, stage=stage)
            Version.objects.filter(pk=version_id).delete()
        for pk, version_id, signed_at in aside:
            Agreement.objects.filter(pk=pk).update(
                signed_version_id=version_id, signed_at=signed_at
            )
        signed_targets_record(agreements=agreements.filter(pk__in=[row[0] for row in aside]))
        Target.objects.filter(pk__in=added_targets).delete()


def _delete_pdfs() -> None:
    from django.core.files.storage import default_storage

    from jobs.models import VersionPdf

    for pdf in VersionPdf.objects.all():
        default_storage.delete(pdf.file.name)
    VersionPdf.objects.all().delete()


_HELPER_DONE = re.compile(r"prepare_signed_pdfs\[[^\]]+\] succeeded in [\d.]+s: (\d+)")
_HELPER_FAILED = re.compile(r"prepare_signed_pdfs\[[^\]]+\] (raised|failed|retry)")
_RUN_JOB = re.compile(r"run_job\[[^\]]+\] received")


def _export_once(round_, admin, workers: list[_Worker], signed: int) -> tuple[float, dict]:
    """One zip export with every signed PDF rendered afresh. Returns its seconds and how
    many PDFs each worker rendered during it."""
    from jobs import services
    from jobs.models import Kind, State

    _delete_pdfs()
    for worker in workers:
        worker.set_mark()
    started = time.perf_counter()
    job = services.export_request(kind=Kind.SIGNED_AGREEMENTS_ZIP, round_=round_, actor=admin)
    deadline = time.monotonic() + 3600
    while True:
        job.refresh_from_db()
        if job.state in (State.DONE, State.FAILED):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the export did not finish:\n" + workers[0].log())
        # Seldom enough to leave the processors to the workers; exports take minutes.
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if job.state != State.DONE:
        raise RuntimeError(f"the export failed: {job.error}")
    # The helper task sent with the export ends soon after: wait for its count.
    helped: dict[str, int] = {}
    deadline = time.monotonic() + 600
    while not helped:
        for worker in workers:
            text = worker.since_mark()
            if match := _HELPER_DONE.search(text):
                helped[worker.name] = int(match.group(1))
            elif _HELPER_FAILED.search(text):
                helped[worker.name] = 0
        if time.monotonic() > deadline:
            raise RuntimeError("the helper task did not finish:\n" + workers[-1].log())
        time.sleep(0.5)
    # Each PDF is rendered once, by the export job or by the helper. The export's worker
    # is the one that received the run_job message (either worker may take it, and the
    # helper then runs on the other).
    exporter = next((w.name for w in workers if _RUN_JOB.search(w.since_mark())), None)
    rendered = {worker.name: helped.get(worker.name, 0) for worker in workers}
    if exporter is not None:
        rendered[exporter] += signed - sum(helped.values())
    return seconds, rendered


def export_figures(count: int = EXPORT_AGREEMENTS) -> None:
    import tempfile

    from django.conf import settings

    from accounts.models import User
    from indicators.models import Round

    round_ = Round.objects.get(slug="2008-11")
    admin = User.objects.get(email="admin@example.org")

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        print("zip export: skipped (needs Redis)")
        return
    folder = Path(tempfile.mkdtemp(prefix="laa-bench-workers-", dir=settings.VAR_DIR))
    workers = [_Worker("bench-1", folder)]
    try:
        with _signed_set(round_, admin, count) as (signed, filled):
            workers[0].wait_ready()
            one, rendered_one = _export_once(round_, admin, workers, signed)
            workers.append(_Worker("bench-2", folder))
            workers[1].wait_ready()
            two, rendered_two = _export_once(round_, admin, workers, signed)
            _delete_pdfs()
    finally:
        for worker in workers:
            worker.stop()
    print(
        f"zip export of {signed} signed agreements "
        f"({DESIGNATED} designated + {STATUTORY} statutory targets or more each"
        + (f"; {filled} given the targets they lacked for it)" if filled else ")")
    )
    for label, seconds, rendered in [
        ("one worker", one, rendered_one),
        ("two workers", two, rendered_two),
    ]:
        per_minute = signed / seconds * 60
        shares = ", ".join(f"{name} {n}" for name, n in rendered.items())
        print(
            f"  {label:<12} {seconds:8.1f} s  {per_minute:7.1f} PDFs per minute  "
            f"(rendered: {shares})"
        )
    print(f"  speed-up with two workers: {one / two:.2f} x on {os.cpu_count()} processors")
