"""The read API's request log keeps API_REQUEST_LOG_DAYS days: beat prunes older rows each
night, a batch at a time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from api import services, tasks
from api.models import ApiRequest
from tests.factories import UserFactory

NOW = dt.datetime(2026, 12, 1, 3, 10, tzinfo=dt.UTC)


def logged(user, when: dt.datetime) -> ApiRequest:
    return ApiRequest.objects.create(
        user=user, method="GET", path="/api/v1/areas/", status=200, created_at=when
    )


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.mark.parametrize("days", [90, 7])
def test_rows_older_than_the_limit_go_and_the_rest_stay(settings, person, days):
    settings.API_REQUEST_LOG_DAYS = days
    cutoff = NOW - dt.timedelta(days=days)
    too_old = logged(person, cutoff - dt.timedelta(seconds=1))
    much_too_old = logged(person, cutoff - dt.timedelta(days=400))
    exactly_at_limit = logged(person, cutoff)
    recent = logged(person, cutoff + dt.timedelta(seconds=1))
    today = logged(person, NOW)

    assert services.api_requests_prune(now=NOW) == 2

    kept = set(ApiRequest.objects.filter(user=person).values_list("pk", flat=True))
    assert kept == {exactly_at_limit.pk, recent.pk, today.pk}
    assert not ApiRequest.objects.filter(pk__in=[too_old.pk, much_too_old.pk]).exists()


def test_a_token_keeps_its_last_use_when_its_requests_are_pruned(settings, person):
    settings.API_REQUEST_LOG_DAYS = 90
    new = services.token_create_personal(actor=person, name="Old", expires_in_days=365)
    long_ago = NOW - dt.timedelta(days=200)
    services.token_note_use(new.token, long_ago)
    ApiRequest.objects.create(
        token=new.token, method="GET", path="/api/v1/", status=200, created_at=long_ago
    )

    assert services.api_requests_prune(now=NOW) == 1

    new.token.refresh_from_db()
    assert new.token.last_used_at == long_ago
    assert not new.token.requests.exists()


def test_a_backlog_larger_than_a_batch_is_deleted_in_several(
    settings, person, monkeypatch, django_assert_num_queries
):
    settings.API_REQUEST_LOG_DAYS = 90
    monkeypatch.setattr(services, "PRUNE_BATCH_SIZE", 3)
    old = NOW - dt.timedelta(days=100)
    ApiRequest.objects.bulk_create(
        ApiRequest(user=person, method="GET", path=f"/api/v1/{n}/", status=200, created_at=old)
        for n in range(8)
    )
    keep = logged(person, NOW)

    # Batches of 3, 3 and 2: one statement each, the last short, so no further query.
    with django_assert_num_queries(3):
        assert services.api_requests_prune(now=NOW) == 8

    assert list(ApiRequest.objects.filter(user=person)) == [keep]


def test_the_nightly_task_prunes_the_log(settings, person):
    settings.API_REQUEST_LOG_DAYS = 90
    old = logged(person, timezone.now() - dt.timedelta(days=91))
    fresh = logged(person, timezone.now() - dt.timedelta(days=89))

    assert tasks.prune_api_requests.apply().get() == 1

    assert not ApiRequest.objects.filter(pk=old.pk).exists()
    assert ApiRequest.objects.filter(pk=fresh.pk).exists()
