"""Background jobs people wait on: an agreement's PDF and the national team's exports.

A `Job` is a database row first and a Celery message second: the row is the truth (its
state, progress and file), the broker only tells a worker to look at it. A job whose
message was lost (the broker was down) or whose worker died is found again by the beat
task and sent once more; a run takes the row under a lease, so a job runs to one file
however many messages arrive.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from core.models import TimestampedModel
from core.text import lower_first


class Kind(models.TextChoices):
    AGREEMENT_PDF = "agreement_pdf", "Agreement as a PDF"
    SIGNED_AGREEMENTS_ZIP = "signed_agreements_zip", "Signed agreements (zip of PDFs)"
    TARGETS_CSV = "targets_csv", "Register of targets (CSV)"
    TARGETS_XLSX = "targets_xlsx", "Register of targets (XLSX)"
    REQUESTS_CSV = "requests_csv", "Freedoms and flexibilities requests and answers (CSV)"


# The exports the national team runs for a whole round.
EXPORT_KINDS = (
    Kind.SIGNED_AGREEMENTS_ZIP,
    Kind.TARGETS_CSV,
    Kind.TARGETS_XLSX,
    Kind.REQUESTS_CSV,
)


class State(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


ACTIVE_STATES = (State.QUEUED, State.RUNNING)


def job_file_path(job: "Job", filename: str) -> str:
    return f"jobs/{job.pk}/{get_valid_filename(filename)}"


class Job(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    params = models.JSONField(default=dict, blank=True)
    # What the job is about, for permissions and for listing a round's exports.
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey(
        "indicators.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Two requests for the same thing while one is waiting or running share one job.
    dedupe_key = models.CharField(max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=job_file_path, max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The run holding the job: its token and until when. A run renews the lease as it
    # reports progress; a lease that lapses means the worker died, and the job may be
    # taken by another run.
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When the run holding the job last said it was alive (its heartbeat renews the lease).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(state__in=["queued", "running"]),
                name="one_active_job_per_dedupe_key",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | ~Q(file=""), name="done_job_has_a_file"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "dispatched_at"]),
            models.Index(fields=["round", "kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({lower_first(self.get_state_display())})"

    @property
    def is_finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def is_done(self) -> bool:
        return self.state == State.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == State.FAILED

    @property
    def is_export(self) -> bool:
        return self.kind in EXPORT_KINDS

    @property
    def percent(self) -> int:
        if self.state == State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def worker_stopped(self) -> bool:
        """Running, but its worker has not renewed the lease in time: it died or hangs."""
        return (
            self.state == State.RUNNING
            and self.lease_expires_at is not None
            and self.lease_expires_at < timezone.now()
        )

    @property
    def worker_stopped_at(self):
        """When the stopped worker was last heard from."""
        return self.heartbeat_at or self.started_at

    @property
    def resumes_by(self):
        """When beat's redispatch will have sent the job to another worker (or failed it,
        after its last try): at its next run after the lease lapsed."""
        interval = timedelta(seconds=settings.REDISPATCH_INTERVAL_SECONDS)
        return max(self.lease_expires_at, timezone.now()) + interval

    @property
    def waiting_for_broker(self) -> bool:
        """Queued, but its message never reached the broker (it was away)."""
        return self.state == State.QUEUED and self.dispatched_at is None

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


def version_pdf_path(instance: "VersionPdf", filename: str) -> str:
    return f"jobs/signed/{instance.version_id}/{get_valid_filename(filename)}"


class VersionPdf(models.Model):
    """The PDF of a signed version, rendered once: a signed version and its sign-off record
    never change, so every download and every export of it reuses this file."""

    version = models.OneToOneField(
        "negotiations.Version", on_delete=models.CASCADE, related_name="signed_pdf"
    )
    file = models.FileField(upload_to=version_pdf_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF of {self.version}"
