"""Requests: routing to owners, answers with reasons, the clock, late filing, same-as links,
evidence files."""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from core.errors import ServiceError
from core.working_days import add_working_days, working_days_between
from freedoms import services
from freedoms.lifecycle import Move, State
from freedoms.models import FreedomRequest, PolicyOwner
from indicators.models import Milestone
from notifications.models import Notification
from tests.freedoms.conftest import move, to_state


def walk(draft, state, coordinator, negotiator, official):
    return to_state(draft, state, coordinator=coordinator, negotiator=negotiator, official=official)


def test_routing_lands_with_the_topic_owner_else_the_laa_lead(
    draft, coordinator_lancs, negotiator, dcsf, official
):
    owner_user = User.objects.create_user(
        email="youth@dcsf.example", role="official", organisation=dcsf, full_name="Yan Youth"
    )
    owner = PolicyOwner.objects.create(department=dcsf, user=owner_user, topic="Youth justice")
    assert services.route_owner(dcsf, draft).user == official  # no topic: the LAA lead
    FreedomRequest.objects.filter(pk=draft.pk).update(topic="youth justice")
    draft.refresh_from_db()
    request = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    assert request.owner == owner
    assert Notification.objects.filter(
        user=owner_user, subject__contains=request.reference
    ).exists()
    assert request.due_on == add_working_days(timezone.localdate(), 15)


@pytest.mark.parametrize("outcome", ["agreed_in_part", "already_possible", "refused"])
def test_every_outcome_but_agreed_needs_a_reason(
    draft, coordinator_lancs, negotiator, official, outcome
):
    request = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    with pytest.raises(ServiceError, match="Give the reason"):
        move(
            request,
            official,
            Move.ANSWER,
            State.WITH_DEPARTMENT,
            outcome=outcome,
            alternative="Something else",
        )
    request.refresh_from_db()
    assert request.state == State.WITH_DEPARTMENT and request.outcome == ""


def test_an_alternative_offered_must_be_described(draft, coordinator_lancs, negotiator, official):
    request = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    with pytest.raises(ServiceError, match="Describe the alternative"):
        move(
            request,
            official,
            Move.ANSWER,
            State.WITH_DEPARTMENT,
            outcome="agreed_in_part",
            comment="Only in part",
        )
    move(
        request,
        official,
        Move.ANSWER,
        State.WITH_DEPARTMENT,
        outcome="agreed_in_part",
        comment="Only in part",
        alternative="Align the budgets first",
    )
    request.refresh_from_db()
    assert (request.outcome, request.alternative) == ("agreed_in_part", "Align the budgets first")
    assert (request.decided_by, request.decided_as) == (official, "department")


def test_the_go_decides_under_its_brief(draft, coordinator_lancs, negotiator, official):
    request = walk(draft, State.WITH_GO, coordinator_lancs, negotiator, official)
    move(
        request,
        negotiator,
        Move.DECIDE,
        State.WITH_GO,
        outcome="already_possible",
        comment="Pooling is already allowed under section 75.",
    )
    request.refresh_from_db()
    assert (request.decided_by, request.decided_as, request.state) == (negotiator, "go", "answered")


def test_the_database_refuses_a_bald_no(draft):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        FreedomRequest.objects.filter(pk=draft.pk).update(outcome="refused", reason="")


def test_more_information_pauses_the_clock(draft, coordinator_lancs, negotiator, official):
    request = walk(draft, State.MORE_INFORMATION, coordinator_lancs, negotiator, official)
    due = request.due_on
    FreedomRequest.objects.filter(pk=request.pk).update(
        paused_at=timezone.now() - dt.timedelta(days=5)
    )
    request.refresh_from_db()
    move(
        request,
        coordinator_lancs,
        Move.PROVIDE,
        State.MORE_INFORMATION,
        comment="The grants are YOT and PAYP.",
    )
    request.refresh_from_db()
    assert request.state == State.WITH_DEPARTMENT
    paused = working_days_between(timezone.localdate() - dt.timedelta(days=5), timezone.localdate())
    assert request.due_on == add_working_days(due, paused)
    assert request.paused_at is None


def test_a_request_filed_after_the_cut_off_is_flagged_late(draft, coordinator_lancs):
    Milestone.objects.filter(round=draft.agreement.round, met_when="agreed_in_principle").update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    move(draft, coordinator_lancs, Move.SUBMIT, State.DRAFT)
    draft.refresh_from_db()
    assert draft.is_late


def test_one_answer_serves_requests_linked_as_the_same(
    draft, coordinator_lancs, negotiator, official, dcsf
):
    from agreements.models import Agreement

    manchester = Agreement.objects.get(area__name="Manchester")
    other = services.request_create(
        agreement=manchester,
        actor=User.objects.get(email="manchester.coordinator@example.org"),
        fields=services.RequestFields(
            title="Pool youth grants too",
            obstacle_kind="rule",
            obstacle="x",
            ask="y",
            proposed_departments=(dcsf,),
        ),
    )
    other = to_state(
        other,
        State.WITH_DEPARTMENT,
        coordinator=User.objects.get(email="manchester.coordinator@example.org"),
        negotiator=negotiator,
        official=official,
    )
    primary = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    services.request_link_same_as(request=other, actor=official, primary=primary)
    move(
        primary,
        official,
        Move.ANSWER,
        State.WITH_DEPARTMENT,
        outcome="refused",
        comment="Not in this spending review",
    )
    other.refresh_from_db()
    assert (other.state, other.outcome, other.reason) == (
        "answered",
        "refused",
        "Not in this spending review",
    )


def test_evidence_files_are_checked_for_type_and_size(draft, coordinator_lancs):
    good = services.evidence_add(
        request=draft,
        actor=coordinator_lancs,
        upload=SimpleUploadedFile("survey.pdf", b"%PDF-1.4 data"),
    )
    assert good.size == 13
    with pytest.raises(ServiceError, match="must be a PDF"):
        services.evidence_add(
            request=draft, actor=coordinator_lancs, upload=SimpleUploadedFile("run.exe", b"MZ")
        )
    big = SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ServiceError, match="smaller than 10 MB"):
        services.evidence_add(request=draft, actor=coordinator_lancs, upload=big)


def test_reminders_before_and_escalation_after_go_once_each(
    draft, coordinator_lancs, negotiator, official
):
    request = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    soon = request.due_on - dt.timedelta(days=2)
    assert services.reminders_send(today=soon) >= 1
    assert services.reminders_send(today=soon) == 0
    late = request.due_on + dt.timedelta(days=1)
    assert services.reminders_send(today=late) >= 1
    assert services.reminders_send(today=late) == 0
    assert (
        Notification.objects.filter(
            user=official, subject__startswith="Overdue: " + request.reference
        ).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            user=official, subject__startswith="Due soon: " + request.reference
        ).count()
        == 1
    )


def test_routing_by_funding_stream(draft, dcsf):
    from agreements.models import FundingStream

    stream = FundingStream.objects.get(name="Children's Fund")
    owner_user = User.objects.create_user(
        email="cf@dcsf.example", role="official", organisation=dcsf
    )
    owner = PolicyOwner.objects.create(department=dcsf, user=owner_user, funding_stream=stream)
    FreedomRequest.objects.filter(pk=draft.pk).update(topic="children's fund")
    draft.refresh_from_db()
    assert services.route_owner(dcsf, draft) == owner


def _on(day: dt.date):
    """Run as if it were ten in the morning of `day` (GMT in winter)."""
    moment = dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_request_referred_before_christmas_2008_is_due_after_the_bank_holidays(
    draft, coordinator_lancs, negotiator, official
):
    with _on(dt.date(2008, 12, 19)):  # a Friday
        request = walk(draft, State.WITH_DEPARTMENT, coordinator_lancs, negotiator, official)
    # Fifteen working days, skipping Christmas Day, Boxing Day and New Year's Day: not
    # Friday 9 January 2009 but Wednesday 14 January.
    assert request.due_on == dt.date(2009, 1, 14)
    with _on(dt.date(2008, 12, 24)):
        move(request, official, Move.HOLD, State.WITH_DEPARTMENT, comment="Over Christmas")
    request.refresh_from_db()
    with _on(dt.date(2009, 1, 2)):
        move(request, official, Move.RESUME, State.ON_HOLD)
    request.refresh_from_db()
    # Held for 29, 30 and 31 December and 2 January: four working days more.
    assert request.due_on == dt.date(2009, 1, 20)
