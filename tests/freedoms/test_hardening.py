"""Edge cases found in review: the answer stays with the GO until relayed, crafted input
gets an error, and evidence, links and the clock follow the lifecycle."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ServiceError
from core.working_days import add_working_days, working_days_between
from freedoms import services
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest
from tests.freedoms.conftest import move, to_state


def url(request, suffix=""):
    return f"/agreements/2008-11/lancashire/requests/{request.number}/{suffix}"


def test_the_locality_does_not_read_the_reason_in_the_history_before_relay(
    client, draft, coordinator_lancs, negotiator, official
):
    request = to_state(
        draft,
        State.WITH_DEPARTMENT,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    move(
        request,
        official,
        Move.ANSWER,
        State.WITH_DEPARTMENT,
        outcome="refused",
        comment="Secret reasoning until relayed",
    )
    client.force_login(coordinator_lancs)
    assert "Secret reasoning" not in client.get(url(request)).content.decode()
    move(request, negotiator, Move.RELAY, State.ANSWERED)
    assert "Secret reasoning" in client.get(url(request)).content.decode()


def test_a_crafted_version_is_a_conflict_not_a_crash(client, draft, coordinator_lancs):
    client.force_login(coordinator_lancs)
    response = client.post(
        url(draft, "edit/"),
        {
            "title": "New",
            "obstacle_kind": "rule",
            "obstacle": "x",
            "ask": "y",
            "version": "abc",
        },
    )
    assert response.status_code == 409


def test_a_crafted_primary_is_refused_not_a_crash(client, draft, coordinator_lancs, negotiator):
    move(draft, coordinator_lancs, Move.SUBMIT, State.DRAFT)
    client.force_login(negotiator)
    response = client.post(url(draft, "same-as/"), {"primary": "²"})
    assert response.status_code == 302


def test_evidence_only_while_the_locality_holds_the_request(draft, coordinator_lancs):
    move(draft, coordinator_lancs, Move.SUBMIT, State.DRAFT)
    draft.refresh_from_db()
    with pytest.raises(ServiceError, match="Evidence can be added"):
        services.evidence_add(
            request=draft, actor=coordinator_lancs, upload=SimpleUploadedFile("a.pdf", b"%PDF")
        )


def test_a_draft_cannot_be_linked(draft, negotiator, coordinator_lancs):
    primary = FreedomRequest.objects.get(title__startswith="Annual rather than quarterly")
    from django.core.exceptions import PermissionDenied

    # Not yet with the GO: the GO is not a party to it, and it cannot be linked.
    with pytest.raises((PermissionDenied, ServiceError)):
        services.request_link_same_as(request=draft, actor=negotiator, primary=primary)
    draft.refresh_from_db()
    assert draft.same_as is None and draft.state == State.DRAFT


def test_figures_are_for_gos_departments_and_admins(client, coordinator, negotiator):
    client.force_login(coordinator)
    assert client.get("/freedoms/2008-11/figures/").status_code == 404
    client.force_login(negotiator)
    assert client.get("/freedoms/2008-11/figures/").status_code == 200


def test_an_evidence_file_name_cannot_inject_header_parameters(client, draft, coordinator_lancs):
    evidence = services.evidence_add(
        request=draft, actor=coordinator_lancs, upload=SimpleUploadedFile('a";x=1.pdf', b"%PDF")
    )
    client.force_login(coordinator_lancs)
    response = client.get(url(draft, f"evidence/{evidence.pk}/"))
    disposition = response.headers["Content-Disposition"]
    # One quoted filename parameter, whatever the name held.
    assert re.fullmatch(r'attachment; filename="(?:[^"\\]|\\.)*"', disposition), disposition
    assert b"".join(response.streaming_content) == b"%PDF"
    assert "no-store" in response["Cache-Control"]  # evidence never stays in a cache


def test_hold_stops_the_clock(draft, coordinator_lancs, negotiator, official):
    request = to_state(
        draft,
        State.ON_HOLD,
        coordinator=coordinator_lancs,
        negotiator=negotiator,
        official=official,
    )
    due = request.due_on
    # Held for two whole weeks of February 2008, which has no bank holiday: ten working days.
    FreedomRequest.objects.filter(pk=request.pk).update(
        paused_at=dt.datetime(2008, 2, 1, 10, tzinfo=dt.UTC)
    )
    request.refresh_from_db()
    resumed = dt.datetime(2008, 2, 15, 10, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=resumed):
        move(request, official, Move.RESUME, State.ON_HOLD)
    request.refresh_from_db()
    assert request.due_on == add_working_days(due, 10)
    assert request.paused_at is None


def test_working_days_between():
    friday, next_friday = dt.date(2008, 2, 1), dt.date(2008, 2, 8)
    assert working_days_between(friday, next_friday) == 5
