"""Jobs through real Celery workers (on Redis, or the embedded stack's filesystem broker): a
PDF asked for while Redis is down is produced once when it returns; a worker killed in the
middle of an export leaves a job that completes on its second attempt, with one file."""

import io
import zipfile

import pytest

from agreements.models import Agreement
from jobs import services
from jobs.models import Job, Kind, State
from tests.conftest import wait_until
from tests.factories import AgreementFactory, UserFactory, round_2008
from tests.jobs.conftest import job_files
from tests.services import SERVICES

pytestmark = pytest.mark.celery


@pytest.mark.redis
def test_a_pdf_asked_for_while_the_broker_is_down_is_produced_once_it_returns(
    celery_worker_process, client
):
    agreement = AgreementFactory(drafting=True)
    coordinator = agreement.opened_by
    client.force_login(coordinator)
    redis = SERVICES["redis"]
    redis.stop()
    try:
        response = client.post(f"/jobs/agreements/2008-11/{agreement.area.slug}/pdf/")
    finally:
        redis.start()
    # The request was kept: the page answered, the job waits, nothing reached a worker.
    job = Job.objects.get(requested_by=coordinator)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == State.QUEUED and job.dispatched_at is None

    # Beat's task sends it once the broker is back (the first try may find it starting).
    wait_until(
        lambda: services.jobs_redispatch() or Job.objects.get(pk=job.pk).dispatched_at,
        timeout=30,
        interval=0.5,
        message="the job was never sent",
    )
    wait_until(
        lambda: Job.objects.get(pk=job.pk).state == State.DONE,
        timeout=60,
        message=celery_worker_process.log(),
    )
    # A second message for the same job (as a late beat would send) changes nothing.
    assert services.job_dispatch(job_id=job.pk)
    wait_until(
        lambda: (
            celery_worker_process.log().count("succeeded") >= 2
            and "'skipped'" in celery_worker_process.log()
        ),
        timeout=30,
        message=celery_worker_process.log(),
    )
    job.refresh_from_db()
    assert job.attempts == 1
    assert [p.name for p in job_files(job)] == [f"{agreement.area.slug}-2008-11-working-draft.pdf"]
    wait_until(
        lambda: any(f"/jobs/{job.pk}/" in m for m in celery_worker_process.sent_mail()),
        timeout=30,
        message="no e-mail with the link",
    )
    mails = [m for m in celery_worker_process.sent_mail() if f"/jobs/{job.pk}/" in m]
    assert len(mails) == 1 and "Ready to download" in mails[0]


def test_an_export_whose_worker_is_killed_completes_on_its_second_attempt(killable_workers):
    round_ = round_2008()
    admin = UserFactory(admin=True)
    AgreementFactory.create_batch(24, signed=True)
    total = Agreement.objects.filter(round=round_, signed_version__isnull=False).count()
    assert total >= 20

    first = killable_workers("first")
    wait_until(lambda: " ready." in first.log(), timeout=60, message=first.log())
    job = services.export_request(kind=Kind.SIGNED_AGREEMENTS_ZIP, round_=round_, actor=admin)
    wait_until(
        lambda: 2 <= Job.objects.get(pk=job.pk).progress_done < total - 2,
        timeout=60,
        interval=0.05,
        message=first.log(),
    )
    first.kill()
    job.refresh_from_db()
    assert job.state == State.RUNNING and job.attempts == 1

    second = killable_workers("second")
    wait_until(lambda: " ready." in second.log(), timeout=60, message=second.log())
    # Beat's task finds the lapsed lease and sends the job again.
    wait_until(
        lambda: services.jobs_redispatch() > 0,
        timeout=30,
        interval=0.5,
        message="the lease never lapsed",
    )
    wait_until(
        lambda: Job.objects.get(pk=job.pk).state == State.DONE,
        timeout=120,
        message=second.log(),
    )
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.progress_done == job.progress_total == total
    assert [p.name for p in job_files(job)] == ["signed-agreements-2008-11.zip"]
    archive = zipfile.ZipFile(io.BytesIO(job.file.open("rb").read()))
    assert len(archive.namelist()) == total + 1
    assert archive.testzip() is None
