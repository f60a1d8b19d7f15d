"""Opening reviews and recording outturns: who may, once only, and no stale edits."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ConflictError, ServiceError
from performance import services
from performance.models import AnnualReview, Outturn
from tests.performance.conftest import outturn_fields, record


def test_only_the_national_team_opens_a_review(signed, wigan_coordinator, negotiator):
    for who in (wigan_coordinator, negotiator):
        with pytest.raises(PermissionDenied):
            services.annual_review_open(round=signed.round, year_index=0, actor=who)
    assert not AnnualReview.objects.exists()


def test_a_year_is_not_opened_twice_but_opens_again_once_closed(signed, review, admin_user):
    assert review.is_open and review.year == "2008/09"
    with pytest.raises(ServiceError, match="annual review of 2008/09 is already open"):
        services.annual_review_open(round=signed.round, year_index=0, actor=admin_user)
    services.annual_review_close(review=review, actor=admin_user)
    with pytest.raises(ServiceError, match="already closed"):
        services.annual_review_close(review=review, actor=admin_user)
    again = services.annual_review_open(round=signed.round, year_index=0, actor=admin_user)
    assert again.pk == review.pk and again.is_open
    assert AnnualReview.objects.count() == 1


def test_a_year_outside_the_round_is_refused(signed, admin_user):
    with pytest.raises(ServiceError, match="not one of the round's years"):
        services.annual_review_open(round=signed.round, year_index=3, actor=admin_user)


def test_the_coordinator_records_and_corrects_an_outturn(signed, review, wigan_coordinator):
    outturn = record(signed, "NI 120", "700.0", review, wigan_coordinator)
    assert (outturn.value, outturn.places, outturn.version) == (Decimal("700.0"), 1, 1)
    assert outturn.history.get().history_user == wigan_coordinator
    corrected = record(signed, "NI 120", "702", review, wigan_coordinator, note="Revised")
    assert (corrected.pk, corrected.version, corrected.note) == (outturn.pk, 2, "Revised")
    assert corrected.history.count() == 2


def test_an_edit_based_on_an_older_version_is_refused(signed, review, wigan_coordinator):
    outturn = record(signed, "NI 120", "700", review, wigan_coordinator)
    record(signed, "NI 120", "701", review, wigan_coordinator)
    with pytest.raises(ConflictError) as error:
        services.outturn_record(
            agreement=signed,
            target=outturn.target,
            review=review,
            actor=wigan_coordinator,
            expected_version=outturn.version,
            fields=outturn_fields("650"),
        )
    assert error.value.current.value == Decimal("701")
    # A first record made meanwhile by someone else is not overwritten either.
    target = signed.targets.get(indicator__code="NI 56")
    record(signed, "NI 56", "9", review, wigan_coordinator)
    with pytest.raises(ConflictError):
        services.outturn_record(
            agreement=signed,
            target=target,
            review=review,
            actor=wigan_coordinator,
            expected_version=None,
            fields=outturn_fields("8"),
        )
    assert Outturn.objects.get(target=target).value == Decimal("9")


def test_only_the_areas_coordinator_records_while_the_review_is_open(
    signed, review, wigan_coordinator, coordinator, negotiator, admin_user
):
    for who in (coordinator, negotiator, admin_user):
        with pytest.raises(PermissionDenied):
            record(signed, "NI 120", "700", review, who)
    services.annual_review_close(review=review, actor=admin_user)
    review.refresh_from_db()
    with pytest.raises(ServiceError, match="closed"):
        record(signed, "NI 120", "700", review, wigan_coordinator)
    assert not Outturn.objects.exists()


def test_a_figure_dated_in_the_future_is_refused(signed, review, wigan_coordinator):
    with pytest.raises(ServiceError, match="today or in the past"):
        record(
            signed,
            "NI 120",
            "700",
            review,
            wigan_coordinator,
            measured_on=dt.date.today() + dt.timedelta(days=2),
        )


def test_opening_a_review_tells_the_coordinators_of_signed_agreements(
    signed, admin_user, wigan_coordinator, coordinator
):
    from notifications.models import Notification

    services.annual_review_open(round=signed.round, year_index=1, actor=admin_user)
    told = set(
        Notification.objects.filter(subject__contains="annual review").values_list(
            "user__email", flat=True
        )
    )
    assert wigan_coordinator.email in told and coordinator.email not in told
