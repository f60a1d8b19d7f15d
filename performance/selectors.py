"""Reads of annual reviews and outturns, scoped to the user asking, and the one rule that
says whether a target is on track.

Every page (the review, the target, the agreement's overview, the amendment, the dashboards)
classifies through `track_status`, so a target is never on track on one page and off track
on another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import FilteredRelation, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from agreements.models import Agreement, NegotiationStatus, Target
from agreements.presentation import decimal_text, number_or_none, places_of, with_units
from agreements.selectors import agreement_get_for_user
from indicators.models import Round
from performance.models import AnnualReview, Outturn


class Track(models.TextChoices):
    ON = "on", "On track"
    OFF = "off", "Off track"
    NO_DATA = "no_data", "No data"


# Targets taken out of the agreement in negotiation are not reviewed.
NOT_REVIEWED = (NegotiationStatus.WITHDRAWN, NegotiationStatus.REFUSED)


def trajectory_value(yearly_values, year_index: int) -> Decimal | None:
    """The target's value for the year, or None: a qualitative target without a deemed
    value, a deferred target still waiting for its figures, a year left blank."""
    values = yearly_values or []
    return number_or_none(values[year_index]) if 0 <= year_index < len(values) else None


def polarity_of(target_polarity: str, indicator_polarity: str = "") -> str:
    """The target's own polarity, else its indicator's. Neither stated: higher is better,
    as it is for most of the National Indicator Set."""
    return target_polarity or indicator_polarity or Target.Polarity.HIGHER


def track_status(
    *,
    outturn,
    yearly_values,
    year_index: int,
    polarity: str = "",
    indicator_polarity: str = "",
) -> Track:
    """On track when the outturn meets the year's trajectory in the better direction (equal
    counts as on track); no data without an outturn or without a value to meet."""
    actual = number_or_none(outturn)
    expected = trajectory_value(yearly_values, year_index)
    if actual is None or expected is None:
        return Track.NO_DATA
    if polarity_of(polarity, indicator_polarity) == Target.Polarity.LOWER:
        return Track.ON if actual <= expected else Track.OFF
    return Track.ON if actual >= expected else Track.OFF


def is_reviewed(*, kind: str, status: str, yearly_values) -> bool:
    """Whether a target of a signed agreement is listed in its review: every designated and
    local target still in the agreement, and statutory ones once their values are set."""
    if status in NOT_REVIEWED:
        return False
    if kind == Target.Kind.STATUTORY:
        return any(number_or_none(value) is not None for value in yearly_values or [])
    return True


# --- Reviews ------------------------------------------------------------------------------


def reviews_of_round(round_: Round) -> list[AnnualReview]:
    reviews = list(
        AnnualReview.objects.filter(round=round_).select_related("opened_by", "closed_by")
    )
    for review in reviews:
        review.round = round_
    return reviews


def current_review(round_: Round) -> AnnualReview | None:
    """The review pages and dashboards show: the latest open year, else the latest year."""
    review = (
        AnnualReview.objects.filter(round=round_)
        .order_by(models.F("closed_at").desc(nulls_first=True), "-year_index")
        .first()
    )
    if review is not None:
        review.round = round_
    return review


def review_for_year(round_: Round, year: int) -> AnnualReview:
    """A round's review by the calendar year its financial year starts in (2008 for
    2008/09); a year not opened answers 404."""
    review = get_object_or_404(
        AnnualReview.objects.select_related("opened_by"),
        round=round_,
        year_index=year - round_.first_year,
    )
    review.round = round_
    return review


@dataclass(frozen=True)
class YearRow:
    """One year of a round, as the national team's page lists it."""

    index: int
    label: str
    first_year: int
    review: AnnualReview | None


def round_years(round_: Round) -> list[YearRow]:
    reviews = {review.year_index: review for review in reviews_of_round(round_)}
    return [
        YearRow(index, label, round_.first_year + index, reviews.get(index))
        for index, label in enumerate(round_.years)
    ]


# --- An agreement's review ------------------------------------------------------------------


def agreement_for_review(user: User, *, round_slug: str, area_slug: str) -> Agreement:
    agreement = agreement_get_for_user(user, round_slug=round_slug, area_slug=area_slug)
    if not user.has_perm("performance.see_review", agreement):
        raise Http404
    return agreement


def agreement_for_recording(user: User, *, round_slug: str, area_slug: str) -> Agreement:
    """An agreement whose outturns the user records; one they may only read answers 404."""
    agreement = agreement_for_review(user, round_slug=round_slug, area_slug=area_slug)
    if not user.has_perm("performance.record_outturns", agreement):
        raise Http404
    return agreement


@dataclass
class TargetTrack:
    """A target in one year's review: the year's trajectory, its outturn and its status."""

    target: Target
    year_index: int
    outturn: Outturn | None
    status: Track = field(init=False)

    def __post_init__(self) -> None:
        target = self.target
        self.status = track_status(
            outturn=self.outturn.value if self.outturn else None,
            yearly_values=target.yearly_values,
            year_index=self.year_index,
            polarity=target.polarity,
            indicator_polarity=target.indicator.polarity if target.indicator else "",
        )

    @property
    def units(self) -> str:
        return units_of(self.target)

    @property
    def trajectory(self) -> str:
        """The year's value as typed ('78.0' stays '78.0'), without units."""
        value = trajectory_value(self.target.yearly_values, self.year_index)
        return decimal_text(value, places_of(value))

    @property
    def value(self) -> str:
        return decimal_text(self.outturn.value, self.outturn.places) if self.outturn else ""

    @property
    def trajectory_text(self) -> str:
        return with_units(self.trajectory, self.units)

    @property
    def value_text(self) -> str:
        return with_units(self.value, self.units)

    @property
    def polarity(self) -> str:
        target = self.target
        indicator = target.indicator.polarity if target.indicator else ""
        return Target.Polarity(polarity_of(target.polarity, indicator)).label


def units_of(target: Target) -> str:
    """The target's units, else its indicator's: as the target's presentation has them."""
    return target.units or (target.indicator.units if target.indicator else "")


def _reviewed_targets(agreement: Agreement):
    return (
        agreement.targets.exclude(status__in=NOT_REVIEWED)
        .select_related("indicator")
        .only(
            "pk",
            "agreement_id",
            "kind",
            "indicator__code",
            "indicator__title",
            "indicator__number",
            "indicator__polarity",
            "indicator__units",
            "local_title",
            "units",
            "polarity",
            "yearly_values",
            "is_deferred",
            "is_qualitative",
            "status",
            "version",
        )
        .order_by("kind", "indicator__number", "local_title", "pk")
    )


def review_targets(agreement: Agreement, review: AnnualReview) -> list[TargetTrack]:
    """Every reviewed target of the agreement with its outturn for the review's year, in
    two queries however many targets there are."""
    targets = _reviewed_targets(agreement).prefetch_related(
        Prefetch(
            "outturns",
            queryset=Outturn.objects.filter(year_index=review.year_index),
            to_attr="year_outturns",
        )
    )
    return [
        TargetTrack(target, review.year_index, (target.year_outturns or [None])[0])
        for target in targets
        if is_reviewed(kind=target.kind, status=target.status, yearly_values=target.yearly_values)
    ]


def reviewed_target_get(agreement: Agreement, review: AnnualReview, pk: int) -> TargetTrack:
    target = get_object_or_404(_reviewed_targets(agreement), pk=pk)
    if not is_reviewed(kind=target.kind, status=target.status, yearly_values=target.yearly_values):
        raise Http404
    outturn = Outturn.objects.filter(target=target, year_index=review.year_index).first()
    return TargetTrack(target, review.year_index, outturn)


def track_counts(rows: Sequence[TargetTrack]) -> dict[str, int]:
    counts = dict.fromkeys(Track.values, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


@dataclass(frozen=True)
class AgreementSummary:
    review: AnnualReview
    counts: dict[str, int]


def agreement_summary(user: User, agreement: Agreement) -> AgreementSummary | None:
    """The counts on and off track in the current review, for the agreement's overview;
    None (and no query) for an agreement not signed, or a user who may not see them."""
    if not user.has_perm("performance.see_review", agreement):
        return None
    review = current_review(agreement.round)
    if review is None:
        return None
    return AgreementSummary(review, track_counts(review_targets(agreement, review)))


@dataclass(frozen=True)
class YearOutturn:
    year: str
    first_year: int
    trajectory: str
    outturn: Outturn | None
    status: Track
    units: str = ""

    @property
    def value(self) -> str:
        return decimal_text(self.outturn.value, self.outturn.places) if self.outturn else ""

    @property
    def trajectory_text(self) -> str:
        return with_units(self.trajectory, self.units)

    @property
    def value_text(self) -> str:
        return with_units(self.value, self.units)


def target_outturns(agreement: Agreement, target: Target) -> list[YearOutturn]:
    """A target's outturn for each year of its round, in one query."""
    round_ = agreement.round
    outturns = {o.year_index: o for o in Outturn.objects.filter(target=target)}
    rows = []
    for index, year in enumerate(round_.years):
        outturn = outturns.get(index)
        row = TargetTrack(target, index, outturn)
        rows.append(
            YearOutturn(
                year, round_.first_year + index, row.trajectory, outturn, row.status, row.units
            )
        )
    return rows


@dataclass(frozen=True)
class LatestOutturn:
    year: str
    value: str  # as typed, with the target's units
    measured_on: object
    source: str
    status: Track


def latest_outturns_by_key(agreement: Agreement) -> dict[str, LatestOutturn]:
    """Each target's latest outturn, keyed as versions and amendments key targets (an
    indicator's code, or `local:<id>`), in one query."""
    years = agreement.round.years
    latest: dict[str, LatestOutturn] = {}
    outturns = (
        Outturn.objects.filter(target__agreement=agreement)
        .select_related("target__indicator")
        .order_by("target_id", "year_index")
    )
    for outturn in outturns:
        target = outturn.target
        key = target.indicator.code if target.indicator else f"local:{target.pk}"
        row = TargetTrack(target, outturn.year_index, outturn)
        year = years[outturn.year_index] if outturn.year_index < len(years) else ""
        latest[key] = LatestOutturn(
            year, row.value_text, outturn.measured_on, outturn.source, row.status
        )
    return latest


# --- Dashboards ---------------------------------------------------------------------------


@dataclass
class TrackRow:
    government_office: Organisation
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Track.values, 0))

    @property
    def on(self) -> int:
        return self.counts[Track.ON]

    @property
    def off(self) -> int:
        return self.counts[Track.OFF]

    @property
    def no_data(self) -> int:
        return self.counts[Track.NO_DATA]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class TrackFigures:
    review: AnnualReview | None
    rows: list[TrackRow]

    @property
    def totals(self) -> TrackRow:
        total = TrackRow(Organisation(name="England"))
        for row in self.rows:
            for status, count in row.counts.items():
                total.counts[status] += count
        return total


def _classified(round_: Round, review: AnnualReview, where: Q, *group: str):
    """(group value, status) for every reviewed target of the round's signed agreements
    matching `where`, read as plain values in one query."""
    targets = (
        Target.objects.filter(
            where, agreement__round=round_, agreement__signed_version__isnull=False
        )
        .exclude(status__in=NOT_REVIEWED)
        .annotate(
            year_outturn=FilteredRelation(
                "outturns", condition=Q(outturns__year_index=review.year_index)
            )
        )
        .values_list(
            *group,
            "kind",
            "status",
            "yearly_values",
            "polarity",
            "indicator__polarity",
            "year_outturn__value",
        )
        .order_by()
    )
    for row in targets:
        key = row[: len(group)]
        kind, status, values, polarity, indicator_polarity, outturn = row[len(group) :]
        if is_reviewed(kind=kind, status=status, yearly_values=values):
            yield (
                key,
                track_status(
                    outturn=outturn,
                    yearly_values=values,
                    year_index=review.year_index,
                    polarity=polarity,
                    indicator_polarity=indicator_polarity or "",
                ),
            )


def track_by_government_office(*, round_: Round, offices: Sequence[Organisation]) -> TrackFigures:
    """Targets on track, off track and without data in the current review, by Government
    Office: two queries, whatever the number of agreements (the review, then one row of
    plain values per target of a signed agreement, classified by `track_status`)."""
    review = current_review(round_)
    rows = {office.pk: TrackRow(office) for office in offices}
    if review is not None:
        where = Q(agreement__area__government_office__in=list(rows))
        for (office_id,), status in _classified(
            round_, review, where, "agreement__area__government_office_id"
        ):
            rows[office_id].counts[status] += 1
    return TrackFigures(review, list(rows.values()))


@dataclass
class AreaTrack:
    name: str
    slug: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Track.values, 0))

    on = property(lambda self: self.counts[Track.ON])
    off = property(lambda self: self.counts[Track.OFF])
    no_data = property(lambda self: self.counts[Track.NO_DATA])
    total = property(lambda self: sum(self.counts.values()))


def track_by_area(
    *, round_: Round, government_office: Organisation
) -> tuple[AnnualReview | None, list[AreaTrack], TrackRow]:
    """A Government Office's signed agreements, area by area, in the current review, and
    the office's total: two queries."""
    review = current_review(round_)
    areas: dict[tuple, AreaTrack] = {}
    total = TrackRow(government_office)
    if review is not None:
        where = Q(agreement__area__government_office=government_office)
        group = ("agreement__area__name", "agreement__area__slug")
        for (name, slug), status in _classified(round_, review, where, *group):
            areas.setdefault((name, slug), AreaTrack(name, slug)).counts[status] += 1
            total.counts[status] += 1
    return review, sorted(areas.values(), key=lambda area: area.name), total
