"""Jobs as rows: asking twice shares one job, a run holds its job under a lease, running
it twice makes one file, and a job that keeps failing ends failed with its requester told."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from jobs import producers, services
from jobs.models import Job, Kind, State
from notifications.models import Notification
from tests.jobs.conftest import job_files, run, sign


def test_asking_twice_while_waiting_shares_one_job(agreement, coordinator):
    first = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    again = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    assert first.pk == again.pk
    assert first.state == State.QUEUED
    assert Job.objects.count() == 1


def test_each_person_gets_their_own_pdf_job(agreement, coordinator, negotiator):
    mine = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    theirs = services.agreement_pdf_request(agreement=agreement, actor=negotiator)
    assert mine.pk != theirs.pk


def test_a_draft_pdf_is_made_afresh_once_the_last_one_is_done(agreement, coordinator):
    first = run(services.agreement_pdf_request(agreement=agreement, actor=coordinator))
    assert first.state == State.DONE
    second = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    assert second.pk != first.pk  # the draft may have changed since


def test_the_pdf_of_a_signed_version_once_made_is_reused(agreement, coordinator):
    sign(agreement)
    first = run(services.agreement_pdf_request(agreement=agreement, actor=coordinator))
    assert first.params == {"version": agreement.signed_version_id}
    assert services.agreement_pdf_request(agreement=agreement, actor=coordinator) == first


def test_exports_by_two_admins_at_once_share_one_job(round_2008, admin_user):
    first = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    again = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    other = services.export_request(kind=Kind.REQUESTS_CSV, round_=round_2008, actor=admin_user)
    assert first.pk == again.pk != other.pk


def test_running_a_job_twice_produces_one_file(agreement, coordinator):
    job = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    assert services.job_run(job_id=job.pk) == "done"
    assert services.job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 1
    assert [p.name for p in job_files(job)] == [job.file_name]
    assert job.file_name == "cumbria-2008-11-working-draft.pdf"
    assert job.file_size == job_files(job)[0].stat().st_size
    assert job.progress_done == job.progress_total == 2


def test_a_job_held_by_a_live_run_is_left_alone(agreement, coordinator):
    job = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING,
        attempts=1,
        lease_token="another-run",
        lease_expires_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert services.job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == State.RUNNING and job.lease_token == "another-run"


def test_a_lapsed_lease_is_taken_over_and_the_old_run_cannot_finish(agreement, coordinator):
    job = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    # A run that died: it held the job, then its lease lapsed.
    assert services._claim(job.pk, "dead-run") is not None
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.attempts == 2 and job.state == State.DONE
    # Were the dead run to wake up, it could neither report nor store anything.
    assert services._finish(job.pk, "dead-run", "late.pdf", None) is False
    assert len(job_files(job)) == 1


def test_leftovers_of_a_run_that_died_while_storing_are_removed(agreement, coordinator, settings):
    job = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    folder = settings.MEDIA_ROOT / "jobs" / str(job.pk)
    folder.mkdir(parents=True)
    (folder / "cumbria-2008-11-working-draft.pdf").write_bytes(b"half a file")
    job = run(job)
    assert [p.name for p in job_files(job)] == ["cumbria-2008-11-working-draft.pdf"]
    assert job_files(job)[0].read_bytes().startswith(b"%PDF")


@override_settings(JOB_MAX_ATTEMPTS=2)
def test_a_job_that_keeps_failing_is_tried_again_then_failed_and_its_requester_told(
    round_2008, admin_user, monkeypatch
):
    def broken(job, out, progress):
        progress(1, 10, "Halfway")
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(producers.PRODUCERS, Kind.TARGETS_CSV, broken)
    job = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    assert services.job_run(job_id=job.pk) == "error"
    job.refresh_from_db()
    assert job.state == State.QUEUED and job.attempts == 1
    # What went wrong inside is for the log; people see a plain sentence.
    assert job.error == services.UNEXPECTED_FAILURE
    assert "disk" not in job.error and "RuntimeError" not in job.error
    assert services.job_run(job_id=job.pk) == "error"
    job.refresh_from_db()
    assert job.state == State.FAILED and job.attempts == 2
    assert job.finished_at is not None and not job.file
    told = Notification.objects.get(user=admin_user, subject__startswith="Could not be produced")
    assert services.UNEXPECTED_FAILURE in told.body
    assert "disk" not in told.body and "RuntimeError" not in told.body
    assert told.url == f"/jobs/{job.pk}/"
    assert services.job_run(job_id=job.pk) == "skipped"


def test_a_job_that_cannot_succeed_fails_at_once(agreement, coordinator):
    job = services.job_request(
        kind=Kind.AGREEMENT_PDF,
        actor=coordinator,
        agreement=agreement,
        params={"version": 999999},
        dedupe_key="test",
    )
    assert services.job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == State.FAILED and job.attempts == 1
    assert job.error == "That version of the agreement no longer exists."


def test_a_finished_job_tells_its_requester_with_a_link(agreement, coordinator):
    job = run(services.agreement_pdf_request(agreement=agreement, actor=coordinator))
    told = Notification.objects.get(user=coordinator, subject__startswith="Ready to download")
    assert "Cumbria Local Area Agreement as a PDF" in told.subject
    assert told.url == f"/jobs/{job.pk}/"


def test_redispatch_sends_jobs_never_sent_and_jobs_whose_worker_died(agreement, coordinator):
    never_sent = services.agreement_pdf_request(agreement=agreement, actor=coordinator)
    assert never_sent.dispatched_at is None  # on_commit never ran: the test's transaction
    dead = services.job_request(
        kind=Kind.AGREEMENT_PDF, actor=coordinator, agreement=agreement, params={}, dedupe_key="d"
    )
    live = services.job_request(
        kind=Kind.AGREEMENT_PDF, actor=coordinator, agreement=agreement, params={}, dedupe_key="l"
    )
    now = timezone.now()
    Job.objects.filter(pk=dead.pk).update(
        state=State.RUNNING,
        lease_expires_at=now - dt.timedelta(seconds=5),
        dispatched_at=now - dt.timedelta(minutes=1),
    )
    Job.objects.filter(pk=live.pk).update(
        state=State.RUNNING, lease_expires_at=now + dt.timedelta(minutes=5), dispatched_at=now
    )
    assert services.jobs_redispatch() == 2
    never_sent.refresh_from_db()
    assert never_sent.dispatched_at is not None
    assert services.jobs_redispatch() == 0  # sent recently: not again yet


def test_exports_must_be_an_export_kind(round_2008, admin_user):
    with pytest.raises(ValueError):
        services.export_request(kind=Kind.AGREEMENT_PDF, round_=round_2008, actor=admin_user)


def test_a_run_longer_than_its_lease_keeps_its_job_by_its_heartbeat(
    seeded_transactional_db, settings, monkeypatch
):
    """The lease is short (so a dead worker is noticed soon), and a live run keeps it with a
    heartbeat even through a step longer than the lease: no second run takes the job."""
    import time

    from accounts.models import User
    from indicators.models import Round

    settings.JOB_LEASE_SECONDS = 2  # renewed every second
    second_run = {}

    def slow(job, out, progress):
        progress(0, 1, "A long step")
        time.sleep(3.5)  # longer than the lease, with no progress reported
        second_run["outcome"] = services.job_run(job_id=job.pk)
        out.write(b"done")
        return "register.csv"

    monkeypatch.setitem(producers.PRODUCERS, Kind.TARGETS_CSV, slow)
    job = services.export_request(
        kind=Kind.TARGETS_CSV,
        round_=Round.objects.get(slug="2008-11"),
        actor=User.objects.get(email="admin@example.org"),
    )
    assert services.job_run(job_id=job.pk) == "done"
    assert second_run["outcome"] == "skipped"
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 1
    assert job.heartbeat_at is not None and job.heartbeat_at > job.started_at
