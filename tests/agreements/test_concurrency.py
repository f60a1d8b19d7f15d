"""The cap and "an indicator at most once" hold when two people add at the same moment,
each on their own database connection."""

import threading

import pytest
from django.db import connections

from accounts.models import User
from agreements import services
from agreements.models import Agreement
from core.errors import ServiceError
from tests.agreements.conftest import designated_fields, fill_designated, free_designated_codes
from tests.factories import AgreementFactory


def race(work_items):
    """Runs each callable in its own thread (so its own connection), released together."""
    barrier = threading.Barrier(len(work_items))
    results: list = [None] * len(work_items)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as error:  # the outcome under test, success or refusal
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(work_items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def drafting(seeded_transactional_db):
    """An agreement being drafted, and its area's coordinator."""
    agreement = AgreementFactory(drafting=True)
    return agreement, agreement.opened_by


@pytest.fixture
def drafting_at_34(drafting):
    agreement, coordinator = drafting
    fill_designated(agreement, coordinator, 34)
    assert agreement.targets.filter(kind="designated").count() == 34
    return agreement, coordinator


def test_two_people_adding_the_35th_and_36th_target_at_once_make_35(drafting_at_34):
    agreement, coordinator = drafting_at_34
    first, second = free_designated_codes(agreement, 2)

    def add(code):
        return lambda: services.target_create(
            agreement=Agreement.objects.get(pk=agreement.pk),
            actor=User.objects.get(pk=coordinator.pk),
            kind="designated",
            fields=designated_fields(code),
        )

    results = race([add(first), add(second)])
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(refused) == 1, results
    assert "already has 35 designated targets" in str(refused[0])
    assert agreement.targets.filter(kind="designated").count() == 35


def test_two_people_adding_the_same_indicator_at_once_make_one(drafting):
    agreement, coordinator = drafting
    code = free_designated_codes(agreement, 1)[0]

    def add():
        return services.target_create(
            agreement=Agreement.objects.get(pk=agreement.pk),
            actor=User.objects.get(pk=coordinator.pk),
            kind="designated",
            fields=designated_fields(code),
        )

    results = race([add, add])
    assert sum(isinstance(r, ServiceError) for r in results) == 1, results
    assert agreement.targets.filter(indicator__code=code).count() == 1
