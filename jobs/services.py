"""Asking for a job, sending it to a worker, and running it to exactly one file.

The row is the truth. Asking creates (or joins) a queued row and, after commit, sends its
id to the broker; if the broker is down the row simply stays queued and the beat task
(`jobs_redispatch`) sends it again later. A run takes the row under a lease, renews the
lease as it reports progress, writes its file to a temporary file and stores it once, in
the same locked transaction that marks the job done: a second message for the same job,
or a second worker, finds it done (or held) and does nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.broker import publish
from jobs.models import ACTIVE_STATES, EXPORT_KINDS, Job, Kind, State
from jobs.producers import PRODUCERS, JobError
from notifications.services import notify

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another run has taken the job (this one's lease lapsed): stop without writing."""


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


# --- Asking -------------------------------------------------------------------------------


def agreement_pdf_request(*, agreement, actor) -> Job:
    """The PDF of a signed agreement's signed version, or of anyone else's working draft."""
    if agreement.signed_version_id:
        return _signed_pdf_request(agreement, agreement.signed_version_id, actor)
    return job_request(
        kind=Kind.AGREEMENT_PDF,
        actor=actor,
        agreement=agreement,
        params={"version": None},
        dedupe_key=f"agreement_pdf:{agreement.pk}:draft:user:{actor.pk}",
    )


def version_pdf_request(*, agreement, version, actor) -> Job:
    """The PDF of a version a completed sign-off signed (the current signed version, or an
    older one an amendment replaced). The file is rendered once and kept (`VersionPdf`);
    this job copies it for the person who asked."""
    return _signed_pdf_request(agreement, version.pk, actor)


def _signed_pdf_request(agreement, version_id: int, actor) -> Job:
    # A signed version never changes: its PDF, once made for this person, is reused.
    done = (
        Job.objects.filter(
            kind=Kind.AGREEMENT_PDF,
            agreement=agreement,
            requested_by=actor,
            state=State.DONE,
            params__version=version_id,
        )
        .order_by("-finished_at")
        .first()
    )
    if done is not None:
        return done
    return job_request(
        kind=Kind.AGREEMENT_PDF,
        actor=actor,
        agreement=agreement,
        params={"version": version_id},
        dedupe_key=f"agreement_pdf:{agreement.pk}:version:{version_id}:user:{actor.pk}",
    )


def export_request(*, kind: str, round_, actor) -> Job:
    """One of a round's exports; an identical one already waiting or running is shared."""
    if kind not in EXPORT_KINDS:
        raise ValueError(f"not an export: {kind}")
    job = job_request(
        kind=kind,
        actor=actor,
        round_=round_,
        params={"round": round_.slug},
        dedupe_key=f"{kind}:round:{round_.pk}",
    )
    if kind == Kind.SIGNED_AGREEMENTS_ZIP:
        # Spare workers render the PDFs the zip needs while it runs (see producers).
        transaction.on_commit(lambda: publish("jobs.tasks.prepare_signed_pdfs", round_.pk))
    return job


def job_request(
    *, kind: str, actor, params: dict, dedupe_key: str, agreement=None, round_=None
) -> Job:
    """Create a queued job (or return the one already waiting or running for the same key)
    and send it to a worker once the transaction commits."""
    with transaction.atomic():
        existing = (
            Job.objects.select_for_update()
            .filter(dedupe_key=dedupe_key, state__in=ACTIVE_STATES)
            .first()
        )
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    params=params,
                    dedupe_key=dedupe_key,
                    requested_by=actor,
                    agreement=agreement,
                    round=round_,
                    progress_message="Waiting for a worker",
                )
        except IntegrityError:
            # Someone asked for the same thing at the same moment: share theirs.
            return Job.objects.get(dedupe_key=dedupe_key, state__in=ACTIVE_STATES)
        transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


# --- Sending to a worker ------------------------------------------------------------------


def job_dispatch(*, job_id, countdown: float | None = None, redispatch: bool = False) -> bool:
    """Send a job's id to the workers (bounded in time: laa_portal/broker.py); on success,
    note when. On failure the row stays unsent for beat's redispatch."""
    sent = publish(
        "jobs.tasks.run_job", job_id, countdown=countdown, even_if_recently_failed=redispatch
    )
    if sent:
        Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(dispatched_at=timezone.now())
    return sent


def jobs_redispatch(*, now=None) -> int:
    """Send again the jobs whose message may be lost: queued jobs never sent (the broker was
    down) or sent long ago, and running jobs whose lease lapsed (the worker died)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOB_REDISPATCH_SECONDS)
    ids = list(
        Job.objects.filter(
            Q(state=State.QUEUED, dispatched_at__isnull=True)
            | Q(state=State.QUEUED, dispatched_at__lt=stale)
            | (
                Q(state=State.RUNNING, lease_expires_at__lt=now)
                # ...unless already sent since the lease lapsed (and not long ago).
                & (
                    Q(dispatched_at__isnull=True)
                    | Q(dispatched_at__lt=F("lease_expires_at"))
                    | Q(dispatched_at__lt=stale)
                )
            )
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    sent = 0
    for job_id in ids:
        if not job_dispatch(job_id=job_id, redispatch=True):
            break  # the broker is still down: try again at the next beat
        sent += 1
    return sent


# --- Running ------------------------------------------------------------------------------


# Shown to people when a run fails for a reason of ours: the details go to the log only.
UNEXPECTED_FAILURE = "Something went wrong while the file was being produced."


class _Heartbeat:
    """Renews a run's lease every third of the lease while the run is alive, so a short
    lease tells quickly that a worker died without lapsing under a slow step (one large
    PDF). It notes when the lease was lost, for the run to stop at its next progress."""

    def __init__(self, job_id, token: str):
        self.job_id, self.token = job_id, token
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        interval = max(1.0, settings.JOB_LEASE_SECONDS / 3)
        try:
            while not self._stop.wait(interval):
                try:
                    if not _renew(self.job_id, self.token):
                        self.lost = True
                        return
                except Exception:  # a database hiccup: the next beat may succeed
                    logger.warning("could not renew the lease of job %s", self.job_id)
        finally:
            connection.close()


def _renew(job_id, token: str, **fields) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, lease_token=token, state=State.RUNNING).update(
            lease_expires_at=now + _lease(), heartbeat_at=now, updated_at=now, **fields
        )
    )


def job_run(*, job_id) -> str:
    """Run a job once, if nobody else holds it. Returns what happened, for the log."""
    token = uuid.uuid4().hex
    claimed = _claim(job_id, token)
    if claimed is None:
        return "skipped"
    job = claimed

    with _Heartbeat(job.pk, token) as heartbeat:

        def progress(done: int, total: int, message: str) -> None:
            if heartbeat.lost or not _renew(
                job.pk,
                token,
                progress_done=done,
                progress_total=total,
                progress_message=message[:200],
            ):
                raise LeaseLost

        with tempfile.TemporaryFile() as out:
            try:
                name = PRODUCERS[job.kind](job, out, progress)
            except LeaseLost:
                logger.warning("job %s was taken over by another run", job.pk)
                return "lost"
            except JobError as error:
                _fail(job.pk, token, str(error), final=True)
                return "failed"
            except Exception:
                logger.exception("job %s failed on attempt %s", job.pk, job.attempts)
                _fail(job.pk, token, UNEXPECTED_FAILURE, final=False)
                return "error"
            out.flush()
            out.seek(0)
            return "done" if _finish(job.pk, token, name, out) else "lost"


def _claim(job_id, token: str) -> Job | None:
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (State.DONE, State.FAILED):
            return None
        if job.state == State.RUNNING and job.lease_expires_at and job.lease_expires_at > now:
            return None  # another run holds it and is alive
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _mark_failed(
                job,
                f"The job was stopped {job.attempts} times before it could finish.",
            )
            return None
        job.state = State.RUNNING
        job.attempts += 1
        job.lease_token = token
        job.lease_expires_at = now + _lease()
        job.heartbeat_at = now
        job.started_at = job.started_at or now
        job.progress_message = "Starting"
        job.save()
    return job


def _finish(job_id, token: str, name: str, out) -> bool:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != State.RUNNING or job.lease_token != token:
            return False
        # Whatever an earlier run that died here left behind goes, so the job has one file.
        folder = default_storage.path(f"jobs/{job.pk}")
        shutil.rmtree(folder, ignore_errors=True)
        job.file.save(name, File(out, name=name), save=False)
        job.file_size = job.file.size
        job.state = State.DONE
        job.finished_at = timezone.now()
        job.progress_done = max(job.progress_done, job.progress_total)
        job.progress_message = "Ready"
        job.lease_token = ""
        job.lease_expires_at = None
        job.error = ""
        job.save()
        _tell_requester(job)
    return True


def _fail(job_id, token: str, message: str, *, final: bool) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != State.RUNNING or job.lease_token != token:
            return
        if final or job.attempts >= settings.JOB_MAX_ATTEMPTS:
            _mark_failed(job, message)
            return
        job.state = State.QUEUED
        job.error = message
        job.lease_token = ""
        job.lease_expires_at = None
        job.progress_message = "Waiting to try again"
        job.save()
        delay = 10 * job.attempts
        transaction.on_commit(lambda: job_dispatch(job_id=job.pk, countdown=delay))


def _mark_failed(job: Job, message: str) -> None:
    job.state = State.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.lease_token = ""
    job.lease_expires_at = None
    job.progress_message = "Failed"
    job.save()
    _tell_requester(job)


def _tell_requester(job: Job) -> None:
    if job.requested_by is None:
        return
    what = _describe(job)
    if job.state == State.DONE:
        subject = f"Ready to download: {what}"
        body = f"{what} is ready. Download it from the LAA Portal."
    else:
        subject = f"Could not be produced: {what}"
        body = f"{what} could not be produced: {job.error}\n\nYou can ask for it again."
    notify(
        users=[job.requested_by],
        subject=subject,
        body=body,
        url=reverse("jobs:detail", args=[job.pk]),
    )


def _describe(job: Job) -> str:
    if job.kind == Kind.AGREEMENT_PDF and job.agreement is not None:
        return f"{job.agreement.area.name} Local Area Agreement as a PDF"
    if job.round is not None:
        return f"{job.get_kind_display()}, {job.round.name}"
    return job.get_kind_display()
