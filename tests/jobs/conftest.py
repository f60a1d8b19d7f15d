"""Helpers for jobs: signed agreements without the sign-off pages, files on disk, and
Celery workers that a test may kill."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Organisation
from agreements.models import Agreement
from agreements.services import signed_targets_record
from agreements.stages import Stage
from jobs import services
from jobs.models import Job
from negotiations.models import Version
from negotiations.versions import snapshot
from signoff.models import Signature, SignOff, StepKind
from tests.conftest import ROOT, _database_url_for_current_test_database
from tests.services import celery_worker_command

SIGNED_ON = dt.date(2008, 6, 20)


def sign(agreement: Agreement, *, signatures: bool = True) -> Version:
    """Freeze the agreement as a new version and record it signed, as the sign-off chain
    would: partner, council, GO and minister signatures over that version."""
    number = (
        agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = Version.objects.create(
        agreement=agreement, number=number, content=snapshot(agreement)
    )
    signed_at = timezone.make_aware(dt.datetime.combine(SIGNED_ON, dt.time(12)))
    if signatures:
        run = SignOff.objects.create(
            agreement=agreement,
            version=version,
            steps=agreement.round.signing_steps,
            state=SignOff.State.COMPLETED,
            completed_at=signed_at,
        )
        locality = agreement.area.organisations.get(kind="locality")
        go = agreement.area.government_office
        partner = agreement.area.partnerships.select_related("organisation").first()
        first_target = (version.content["targets"] or [{}])[0]
        label = f"{first_target.get('code', '')} {first_target.get('name', '')}"
        rows = [
            (StepKind.COUNCIL, locality, "Cllr Ada Council", "Leader of the council", []),
            (StepKind.GO, go, "Rhiannon Director", "Regional Director", []),
            (
                StepKind.MINISTER,
                Organisation.objects.filter(kind="department", abbreviation="CLG").first() or go,
                "Hazel Minister",
                "Secretary of State",
                [],
            ),
        ]
        if partner is not None:
            rows.insert(
                0,
                (
                    StepKind.PARTNERS,
                    partner.organisation,
                    "Pat Partner",
                    "Chief executive",
                    [
                        {
                            "kind": "target",
                            "key": first_target.get("key", ""),
                            "label": label,
                            "as": "lead partner",
                        }
                    ],
                ),
            )
        for step, organisation, name, role, commitments in rows:
            Signature.objects.create(
                sign_off=run,
                step=step,
                version=version,
                organisation=organisation,
                signatory_name=name,
                signatory_role=role,
                signed_on=SIGNED_ON,
                statement=f"{organisation.name} signs version {number} of this agreement.",
                commitments=commitments,
            )
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_version=version, signed_at=signed_at, stage=Stage.SIGNED
    )
    agreement.refresh_from_db()
    signed_targets_record(agreements=[agreement])  # as the sign-off's last signature
    return version


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def job_files(job: Job) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)
    return sorted(p for p in folder.iterdir()) if folder.exists() else []


def run(job: Job) -> Job:
    """Run a job here, as a worker would."""
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


# --- Workers a test may kill --------------------------------------------------------------


class KillableWorker:
    """A `celery worker` in its own process group, so a test can kill it outright."""

    def __init__(self, tmp_path: Path, name: str, lease_seconds: int = 3):
        self.tmp_path, self.name, self.lease_seconds = tmp_path, name, lease_seconds
        self.process: subprocess.Popen | None = None
        self.log_path = tmp_path / f"{name}.log"

    def start(self) -> KillableWorker:
        env = os.environ.copy()
        env["DATABASE_URL"] = _database_url_for_current_test_database()
        env["DATABASE_CONN_MAX_AGE"] = "0"
        env["JOB_LEASE_SECONDS"] = str(self.lease_seconds)
        mail = self.tmp_path / "mail"
        mail.mkdir(exist_ok=True)
        env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        env["EMAIL_FILE_PATH"] = str(mail)
        self.process = subprocess.Popen(
            celery_worker_command(self.name),
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the whole process group: no chance to acknowledge or clean up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def killable_workers(seeded_transactional_db, tmp_path):
    started: list[KillableWorker] = []

    def start(name: str) -> KillableWorker:
        worker = KillableWorker(tmp_path, name).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
