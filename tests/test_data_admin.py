"""The data administration site: every list page runs a small, fixed number of queries,
however many rows it shows."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Area, Organisation, User
from agreements.models import Agreement
from dashboards.models import Subscription, WeeklySummary
from freedoms.models import FreedomRequest, NegotiatingBrief, PolicyOwner
from indicators.models import Milestone, MilestoneOverride, Round
from jobs.models import Job
from notifications.models import Notification
from tests.factories import FreedomRequestFactory

ROWS = 20  # more than the query budget, so a query per row cannot pass unnoticed


@pytest.fixture
def rows_in_every_list(db):
    """The demo data, and enough rows in the lists the demo leaves short whose columns show
    related records."""
    round_ = Round.objects.get(slug="2008-11")
    areas = list(Area.objects.order_by("name")[:ROWS])
    offices = list(Organisation.objects.filter(kind="government_office"))
    departments = list(Organisation.objects.filter(kind="department").order_by("pk"))
    official = User.objects.get(email="official@example.org")
    users = list(User.objects.all())
    milestone = Milestone.objects.filter(round=round_).first()
    MilestoneOverride.objects.bulk_create(
        MilestoneOverride(milestone=milestone, area=area, due_on=dt.date(2008, 6, 1))
        for area in areas
    )
    PolicyOwner.objects.bulk_create(
        PolicyOwner(department=departments[i % len(departments)], user=official, topic=f"T{i}")
        for i in range(ROWS)
    )
    NegotiatingBrief.objects.bulk_create(
        NegotiatingBrief(round=round_, department=department, topics="t", positions="p")
        for department in departments[:ROWS]
    )
    agreement = Agreement.objects.get(area__name="Lancashire", round=round_)
    FreedomRequest.objects.bulk_create(
        FreedomRequestFactory.build(
            agreement=agreement, number=100 + i, department=departments[i % len(departments)]
        )
        for i in range(ROWS)
    )
    Job.objects.bulk_create(
        Job(kind="agreement_pdf", dedupe_key=f"k{i}", requested_by=users[i % len(users)])
        for i in range(ROWS)
    )
    Subscription.objects.bulk_create(
        Subscription(user=user, government_office=office)
        for user in users[:3]
        for office in offices
    )
    WeeklySummary.objects.bulk_create(
        WeeklySummary(
            government_office=offices[i % len(offices)],
            round=round_,
            week_starting=dt.date(2008, 1, 7) + dt.timedelta(weeks=i),
        )
        for i in range(ROWS)
    )
    Notification.objects.bulk_create(
        Notification(user=users[i % len(users)], subject=f"S{i}", body="b", delivery="immediate")
        for i in range(ROWS)
    )


def test_every_list_page_runs_a_few_queries(
    client, admin_user, rows_in_every_list, django_assert_max_num_queries
):
    client.force_login(admin_user)
    client.get(reverse("admin:index"))
    assert admin.site._registry
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200, url


def test_every_add_page_runs_a_few_queries_however_many_rows_it_could_choose(
    client, admin_user, rows_in_every_list, django_assert_max_num_queries
):
    """A relation to thousands of rows (a national round's targets, requests and people) is
    entered by id, not drawn as a choice among all of them, each with its own query."""
    client.force_login(admin_user)
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(_request_by(admin_user)):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200, url


def _request_by(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
