"""Milestones, reminders, whose turn, and each user's list of work."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Area, User
from agreements import services as drafting
from indicators.models import Milestone, MilestoneOverride
from negotiations.models import MilestoneReminder
from negotiations.selectors import time_with_each_party, whose_turn
from negotiations.timetable import next_milestone, reminders_send
from notifications.models import Notification


def test_next_milestone_follows_the_agreements_progress(agreement, lancashire):
    status = next_milestone(agreement)
    assert status.milestone.name == "First draft to Government Office"
    assert status.overdue  # the demo timetable put it two weeks ago
    assert next_milestone(lancashire).milestone.name == "Further draft"


def test_an_area_can_have_its_own_date(agreement):
    milestone = Milestone.objects.get(
        round=agreement.round, name="First draft to Government Office"
    )
    later = timezone.localdate() + dt.timedelta(days=3)
    MilestoneOverride.objects.create(milestone=milestone, area=agreement.area, due_on=later)
    status = next_milestone(agreement)
    assert status.due_on == later and not status.overdue and status.days_left == 3


def test_reminders_go_once_each_to_whoever_holds_the_agreement(agreement, coordinator, negotiator):
    first = reminders_send()
    assert first >= 1
    assert reminders_send() == 0
    reminder = MilestoneReminder.objects.get(agreement=agreement)
    assert reminder.kind == "overdue"
    assert Notification.objects.filter(user=coordinator, subject__contains="was due").count() == 1


def test_a_reminder_goes_before_a_milestone_is_due(agreement, coordinator):
    milestone = Milestone.objects.get(
        round=agreement.round, name="First draft to Government Office"
    )
    MilestoneOverride.objects.create(
        milestone=milestone, area=agreement.area, due_on=timezone.localdate() + dt.timedelta(days=5)
    )
    reminders_send()
    assert MilestoneReminder.objects.get(agreement=agreement).kind == "due_soon"
    assert Notification.objects.filter(user=coordinator, subject__contains="is due on").count() == 1


def test_whose_turn_and_time_with_each_party(agreement, lancashire, manchester):
    assert whose_turn(agreement) == "Cumbria (locality)"
    assert whose_turn(lancashire) == "GO North West"
    assert whose_turn(manchester) == "Departments: DCSF, DH"
    spent = time_with_each_party(lancashire)
    assert set(spent) == {"Locality", "Government Office", "Departments", "Signatories"}
    assert spent["Departments"] == dt.timedelta(0)


def test_your_work_for_each_role(client, db):
    expectations = {
        "coordinator@example.org": "Finish and submit the draft",
        "lancashire.coordinator@example.org": "Answer challenges and required changes",
        "negotiator@example.org": "Review the draft",
        "official@example.org": "Give your views on the targets in your field",
    }
    for email, task in expectations.items():
        client.force_login(User.objects.get(email=email))
        work = client.get("/").context["work"]
        assert task in [item.task for item in work], email


def test_your_work_queries_do_not_grow_with_the_gos_areas(client, negotiator, admin_user):
    from indicators.models import Round

    current = Round.objects.get(slug="2008-11")
    areas = list(Area.objects.filter(government_office=negotiator.organisation).order_by("name"))
    client.force_login(negotiator)
    counts = []
    for count in (5, 20):
        for area in areas[:count]:
            drafting.agreement_open(area=area, round=current, actor=admin_user)
        with CaptureQueriesContext(connection) as queries:
            work = client.get("/").context["work"]
        assert len(work) >= 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_agreements_list_shows_whose_turn(client, negotiator, django_assert_max_num_queries):
    client.force_login(negotiator)
    # The sign-off chains of agreements in sign-off are read together: five queries more.
    with django_assert_max_num_queries(17):
        rows = {
            a.area.name: turn for a, turn, *_ in client.get("/agreements/").context["agreements"]
        }
    assert rows == {
        "Cumbria": "Cumbria (locality)",
        "Lancashire": "GO North West",
        "Manchester": "Departments: DCSF, DH",
        "Stockport": "Departments: DH",  # DCSF has given its views
        "Wigan": "Nobody: the agreement is signed",
        "Blackpool": "Government Office recommendation: GO North West",
        "Bolton": "Bolton (locality)",  # signed, drafting its amendment
    }


def test_reaching_a_later_stage_meets_the_earlier_milestones(round_2008):
    from agreements.models import Agreement
    from negotiations.timetable import next_milestone

    wigan = Agreement.objects.get(area__name="Wigan")  # signed after a single draft
    blackpool = Agreement.objects.get(area__name="Blackpool")  # in sign-off
    assert next_milestone(wigan) is None
    status = next_milestone(blackpool)
    assert status is not None and status.milestone.met_when == "signed"
