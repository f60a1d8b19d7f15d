"""Thin Celery tasks: each takes an id, re-reads the row and calls a service."""

from celery import shared_task
from django.db import OperationalError

from jobs import services
from jobs.producers import prepare_signed_pdfs as prepare


@shared_task(
    name="jobs.tasks.run_job",
    # The message is acknowledged only when the run ends, and given back if the worker
    # dies, so a job is never lost with its worker (its lease then lets it run again).
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def run_job(job_id: str) -> str:
    return services.job_run(job_id=job_id)


@shared_task(name="jobs.tasks.redispatch_jobs")
def redispatch_jobs() -> int:
    return services.jobs_redispatch()


@shared_task(name="jobs.tasks.prepare_signed_pdfs", acks_late=True)
def prepare_signed_pdfs(round_id: int) -> int:
    return prepare(round_id)
