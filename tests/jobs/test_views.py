"""Job pages: who may ask, watch and download (everyone else gets 404), the progress
partial htmx polls, and the exports page for the national team."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import services
from jobs.models import Job, Kind, State
from portal.navigation import navigation_for
from tests.jobs.conftest import run, sign

PDF_URL = "/jobs/agreements/2008-11/cumbria/pdf/"


def ask_for_pdf(client, user) -> Job:
    client.force_login(user)
    response = client.post(PDF_URL)
    job = Job.objects.get(requested_by=user, kind=Kind.AGREEMENT_PDF)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    return job


@pytest.mark.parametrize("role", ["coordinator", "partner", "negotiator", "admin"])
def test_whoever_sees_the_agreement_gets_the_pdf_button(client, users_by_role, role):
    client.force_login(users_by_role[role])
    page = client.get("/agreements/2008-11/cumbria/").content.decode()
    assert f'action="{PDF_URL}"' in page
    assert "Download as PDF" in page


def test_someone_who_cannot_see_the_agreement_cannot_ask_for_its_pdf(client, coordinator2):
    client.force_login(coordinator2)
    assert client.post(PDF_URL).status_code == 404
    assert not Job.objects.exists()


def test_asking_for_the_pdf_needs_a_post(client, coordinator):
    client.force_login(coordinator)
    assert client.get(PDF_URL).status_code == 405


def test_the_job_page_shows_progress_and_a_check_again_link_until_ready(client, coordinator):
    job = ask_for_pdf(client, coordinator)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'role="status"' in page and 'aria-live="polite"' in page
    assert f'data-hx-get="/jobs/{job.pk}/"' in page and 'data-hx-trigger="every 2s"' in page
    assert "Check again" in page
    assert "Waiting to start" in page
    # The partial htmx polls: the status only, and polling goes on.
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert "Waiting to start" in partial.content.decode()

    run(job)
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.status_code == 286  # htmx stops polling
    assert f"/jobs/{job.pk}/download/" in partial.content.decode()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "hx-get" not in page and "Check again" not in page
    assert "Download cumbria-2008-11-working-draft.pdf" in page


def test_the_progress_of_a_running_job_is_shown_as_text_and_a_bar(client, admin_user, round_2008):
    job = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, progress_done=30, progress_total=120, progress_message="30 of 120"
    )
    client.force_login(admin_user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "In progress: 30 of 120 (30 of 120, 25%)." in page
    assert '<rect width="25%"' in page


def test_a_job_whose_worker_stopped_says_so_and_when_it_will_be_resumed(
    client, admin_user, round_2008
):
    job = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    last_heard = timezone.now() - timedelta(minutes=2)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING,
        attempts=1,
        dispatched_at=last_heard,
        heartbeat_at=last_heard,
        lease_expires_at=last_heard + timedelta(seconds=60),
        progress_done=3,
        progress_total=10,
    )
    client.force_login(admin_user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    local = timezone.localtime(last_heard)
    assert f"stopped answering at {local:%H:%M:%S}" in page
    assert "will be started again on another worker by about" in page


def test_a_running_job_whose_worker_is_alive_has_no_warning(client, admin_user, round_2008):
    job = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING,
        dispatched_at=timezone.now(),
        heartbeat_at=timezone.now(),
        lease_expires_at=timezone.now() + timedelta(seconds=60),
    )
    client.force_login(admin_user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="worker-stopped"' not in page
    assert 'data-testid="waiting-for-broker"' not in page


def test_a_job_not_yet_sent_to_the_broker_says_it_is_kept(client, admin_user, round_2008):
    job = services.export_request(kind=Kind.TARGETS_CSV, round_=round_2008, actor=admin_user)
    Job.objects.filter(pk=job.pk).update(dispatched_at=None)
    client.force_login(admin_user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Your request is saved and will be sent to a worker" in page


def test_the_download_is_the_file_as_an_attachment(client, coordinator):
    job = run(ask_for_pdf(client, coordinator))
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "cumbria-2008-11-working-draft.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_file_not_ready_is_not_found(client, coordinator):
    job = ask_for_pdf(client, coordinator)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize("role", ["coordinator2", "partner", "negotiator", "admin", "official"])
def test_nobody_but_the_requester_sees_a_pdf_job(client, coordinator, users_by_role, role):
    job = run(ask_for_pdf(client, coordinator))
    client.force_login(users_by_role[role])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_requester_who_lost_sight_of_the_agreement_loses_the_job(client, partner):
    job = run(ask_for_pdf(client, partner))
    partner.organisation.partnerships.all().delete()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_a_missing_job_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/jobs/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_signed_agreement_gives_its_signed_version(client, agreement, coordinator):
    version = sign(agreement)
    job = run(ask_for_pdf(client, coordinator))
    assert job.params == {"version": version.pk}
    assert job.file_name == f"cumbria-2008-11-version-{version.number}.pdf"


# --- Exports ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "partner", "negotiator", "official"])
def test_only_the_national_team_reaches_exports(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get("/jobs/exports/").status_code == 404
    assert client.get("/jobs/exports/2008-11/").status_code == 404
    assert client.post("/jobs/exports/2008-11/", {"kind": "targets_csv"}).status_code == 404
    assert all(item.label != "Exports" for item in navigation_for(users_by_role[role]))


def test_the_exports_page_lists_each_export_and_starts_one(client, admin_user):
    client.force_login(admin_user)
    assert any(item.label == "Exports" for item in navigation_for(admin_user))
    assert client.get("/jobs/exports/")["Location"] == "/jobs/exports/2008-11/"
    page = client.get("/jobs/exports/2008-11/").content.decode()
    for kind in ["signed_agreements_zip", "targets_csv", "targets_xlsx", "requests_csv"]:
        assert f'data-testid="export-{kind}"' in page
    assert page.count("Never") == 4
    response = client.post("/jobs/exports/2008-11/", {"kind": "targets_csv"})
    job = Job.objects.get(kind=Kind.TARGETS_CSV)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.round.slug == "2008-11" and job.requested_by == admin_user
    page = client.get("/jobs/exports/2008-11/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in page and "Waiting to start" in page
    run(job)
    page = client.get("/jobs/exports/2008-11/").content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page


def test_an_unknown_export_gets_an_error_summary(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/jobs/exports/2008-11/", {"kind": "everything"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Choose one of the exports listed" in page
    assert page.count("<title>Error: ") == 1
    assert not Job.objects.exists()


def test_any_admin_may_download_an_export(client, admin_user, round_2008):
    from accounts.models import Role, User

    other = User.objects.create_user(
        email="second.admin@example.org",
        password="a-long-password-1",
        role=Role.ADMIN,
        organisation=admin_user.organisation,
    )
    job = run(services.export_request(kind=Kind.REQUESTS_CSV, round_=round_2008, actor=admin_user))
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200
