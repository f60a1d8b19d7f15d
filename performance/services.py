"""Every change to annual reviews and outturns goes through these functions.

Each runs in one transaction, locks what it checks, records who changed what
(django-simple-history), and refuses an edit of an outturn based on an older version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, Target
from agreements.presentation import places_of
from core.errors import ConflictError, ServiceError
from core.people import coordinators
from indicators.models import Round
from notifications.services import notify
from performance.models import AnnualReview, Outturn


@dataclass(frozen=True)
class OutturnFields:
    """What a form or an import row gives for one outturn."""

    value: Decimal
    measured_on: dt.date
    source: str
    note: str = ""


# --- Reviews ------------------------------------------------------------------------------


def annual_review_open(*, round: Round, year_index: int, actor: User) -> AnnualReview:
    """Open the round's review for one year. A year already open is refused; a closed year
    opens again (late figures arrive), keeping the outturns recorded so far."""
    if not actor.has_perm("performance.manage_reviews"):
        raise PermissionDenied
    if not 0 <= year_index < round.year_count:
        raise ServiceError("That year is not one of the round's years.")
    year = round.years[year_index]
    try:
        with transaction.atomic():
            review = (
                AnnualReview.objects.select_for_update()
                .filter(round=round, year_index=year_index)
                .order_by()
                .first()
            )
            if review is not None and review.is_open:
                raise ServiceError(f"The annual review of {year} is already open.")
            if review is None:
                review = AnnualReview(round=round, year_index=year_index)
                reason = "Annual review opened"
            else:
                reason = "Annual review opened again"
            review.opened_at, review.opened_by = timezone.now(), actor
            review.closed_at = review.closed_by = None
            review._history_user = actor
            review._change_reason = reason
            review.save()
            _tell_coordinators(round, year)
    except IntegrityError as exc:  # opened at the same moment by someone else
        raise ServiceError(f"The annual review of {year} is already open.") from exc
    review.round = round
    return review


def _tell_coordinators(round: Round, year: str) -> None:
    areas = Agreement.objects.filter(round=round, signed_version__isnull=False).values("area_id")
    notify(
        users=coordinators(areas),
        subject=f"{round}: annual review of {year} open",
        body=(
            f"The national team has opened the annual review of {year}. Record the actual "
            "outturn of each target of your signed agreement for that year, with the date of "
            "the figure and its source, one by one or from a CSV file."
        ),
        url=reverse("agreements:list"),
    )


def annual_review_close(*, review: AnnualReview, actor: User) -> AnnualReview:
    if not actor.has_perm("performance.manage_reviews"):
        raise PermissionDenied
    with transaction.atomic():
        locked = AnnualReview.objects.select_for_update().get(pk=review.pk)
        if not locked.is_open:
            raise ServiceError(f"The annual review of {review.year} is already closed.")
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked._history_user = actor
        locked._change_reason = "Annual review closed"
        locked.save()
    locked.round = review.round
    return locked


# --- Outturns -----------------------------------------------------------------------------


def _check_fields(fields: OutturnFields) -> None:
    if fields.measured_on > timezone.localdate():
        raise ServiceError("The date of the figure must be today or in the past.")
    if not fields.source.strip():
        raise ServiceError("Say where the figure comes from.")


def _require_recording(agreement: Agreement, review: AnnualReview, actor: User) -> None:
    if not actor.has_perm("performance.see_review", agreement):
        raise PermissionDenied
    if not actor.has_perm("performance.record_outturns", agreement):
        raise PermissionDenied
    if review.round_id != agreement.round_id:
        raise ServiceError("The review is of another round.")


def _lock_open(review: AnnualReview) -> AnnualReview:
    locked = AnnualReview.objects.select_for_update().get(pk=review.pk)
    if not locked.is_open:
        raise ServiceError(
            f"The annual review of {review.year} is closed, so its outturns cannot be changed."
        )
    return locked


def _write(
    *, target: Target, review: AnnualReview, actor: User, fields: OutturnFields, current, reason
) -> Outturn:
    outturn = current or Outturn(target=target, year_index=review.year_index)
    if current is not None:
        outturn.version += 1
    outturn.value = fields.value
    outturn.places = places_of(fields.value)
    outturn.measured_on = fields.measured_on
    outturn.source = fields.source.strip()
    outturn.note = fields.note.strip()
    outturn.recorded_by = actor
    outturn._history_user = actor
    outturn._change_reason = reason
    outturn.save()
    return outturn


def outturn_record(
    *,
    agreement: Agreement,
    target: Target,
    review: AnnualReview,
    actor: User,
    expected_version: int | None,
    fields: OutturnFields,
) -> Outturn:
    """Record (or correct) a target's outturn for the review's year. `expected_version` is
    the version the edit began from, None for a first record: someone's save in between is
    refused with ConflictError, carrying what is saved now."""
    _require_recording(agreement, review, actor)
    if target.agreement_id != agreement.pk:
        raise PermissionDenied
    _check_fields(fields)
    with transaction.atomic():
        _lock_open(review)
        current = (
            Outturn.objects.select_for_update()
            .filter(target=target, year_index=review.year_index)
            .order_by()  # ordering by target would join (and lock) its indicator
            .first()
        )
        if (current.version if current else None) != expected_version:
            raise ConflictError(current=current or Outturn(target=target, version=0))
        return _write(
            target=target,
            review=review,
            actor=actor,
            fields=fields,
            current=current,
            reason="Outturn recorded" if current is None else "Outturn corrected",
        )


def outturns_import(
    *,
    agreement: Agreement,
    review: AnnualReview,
    actor: User,
    rows: Sequence[tuple[Target, OutturnFields]],
) -> list[Outturn]:
    """Record every row's outturn, or none: a refused row rolls the whole file back. A
    target with an outturn already has it replaced, as a correction."""
    _require_recording(agreement, review, actor)
    if any(target.agreement_id != agreement.pk for target, _ in rows):
        raise PermissionDenied
    for _, fields in rows:
        _check_fields(fields)
    with transaction.atomic():
        _lock_open(review)
        existing = {
            outturn.target_id: outturn
            for outturn in Outturn.objects.select_for_update()
            .filter(target__in=[target for target, _ in rows], year_index=review.year_index)
            .order_by()
        }
        return [
            _write(
                target=target,
                review=review,
                actor=actor,
                fields=fields,
                current=existing.get(target.pk),
                reason="Outturn imported",
            )
            for target, fields in rows
        ]
