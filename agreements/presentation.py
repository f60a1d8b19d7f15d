"""How a target's figures are written, the same on every page, version, PDF and export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from agreements.models import NegotiationStatus, Target
from core.text import grouped

# Statutory targets are agreed with DCSF, not in this negotiation.
STATUTORY_STATUS = "Agreed separately with DCSF"


def places_of(value) -> int | None:
    """The number of decimal places a value was typed with: '78.0' has one, '78' none."""
    if value is None or value == "":
        return None
    try:
        exponent = Decimal(str(value)).as_tuple().exponent
    except InvalidOperation:
        return None
    return max(0, -exponent) if isinstance(exponent, int) else None


def number_or_none(value) -> Decimal | None:
    """A stored figure as a finite Decimal, or None for a blank, a non-number or a flag."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def decimal_text(value, places: int | None = None) -> str:
    """A value as typed: with `places` decimal places when known, else without trailing
    zeros. '' for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        return format(number.quantize(Decimal(1).scaleb(-places)), "f")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- One target, ready to show --------------------------------------------------------------

PERCENT_UNITS = frozenset({"%", "percent", "per cent", "percentage"})
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def with_units(text: str, units: str) -> str:
    """A value's text as people read it, with commas between thousands and its units:
    '4.1%', '£12,000', '1,700 households'."""
    text = grouped(text)
    if not text or not units:
        return text
    if units.strip().lower() in PERCENT_UNITS:
        return f"{text}%"
    if units.strip() == "£":
        return f"£{text}"
    return f"{text} {units.strip()}"


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_at_precision(value, precision: str) -> str:
    """A date as much as it is known: '2009', 'March 2009' or '31 March 2009'."""
    day = _date(value)
    if day is None:
        return ""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def iso_at_precision(value, precision: str) -> str:
    """The same date for a spreadsheet: '2009', '2009-03' or '2009-03-31'."""
    day = _date(value)
    if day is None:
        return ""
    return {"year": day.strftime("%Y"), "month": day.strftime("%Y-%m")}.get(
        precision, day.isoformat()
    )


def typed_number(value, places: int | None = None) -> Decimal | None:
    """A value as a Decimal carrying the places it was typed with (for spreadsheets)."""
    text = decimal_text(value, places if places is not None else places_of(value))
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class YearValue:
    year: str
    value: str  # as typed, without units; '' when not given
    places: int | None
    text: str  # as shown: with units, and 'deemed' for a qualitative target


@dataclass(frozen=True)
class DistrictPart:
    district: str
    value: str  # as typed
    text: str  # with units


@dataclass(frozen=True)
class TargetPresentation:
    """Everything a page, a version, a PDF or an export shows of one target, as text.

    Built from a live target (`from_target`) or from a version's frozen target
    (`from_snapshot`), so that both read the same wherever they appear."""

    key: str
    pk: int | None
    kind: str
    kind_label: str
    code: str  # the indicator's code, or 'Local'
    title: str
    is_national_indicator: bool
    definition: str
    units: str
    lead_department: str
    outcome: str
    polarity_label: str
    baseline_value: str  # as typed, without units
    baseline_places: int | None
    baseline_year: str
    baseline_by: str  # the date a baseline is due, at its precision: 'March 2009'
    baseline_by_iso: str  # the same for a spreadsheet: '2009-03'
    years: tuple[YearValue, ...]
    is_qualitative: bool
    statement: str
    is_stretch: bool
    is_deferred: bool
    caveats: str
    status: str
    status_label: str
    lead_partner: str
    contributing_partners: tuple[str, ...]
    district_parts: tuple[DistrictPart, ...]
    statutory_state: str
    statutory_state_label: str

    # --- What the pages show -------------------------------------------------------------

    @property
    def label(self) -> str:
        return f"{self.code}: {self.title}" if self.is_national_indicator else self.title

    @property
    def is_statutory(self) -> bool:
        return self.kind == "statutory"

    @property
    def is_awaiting_figures(self) -> bool:
        """A statutory target whose values DCSF has not yet given: never 'missing'."""
        return self.is_statutory and self.statutory_state == "awaiting"

    @property
    def baseline_given(self) -> bool:
        return bool(self.baseline_value or self.baseline_by)

    @property
    def baseline_missing(self) -> bool:
        return not self.baseline_given and not self.is_statutory and not self.is_qualitative

    @property
    def baseline_text(self) -> str:
        if self.baseline_value:
            text = with_units(self.baseline_value, self.units)
            return f"{text} ({self.baseline_year})" if self.baseline_year else text
        if self.baseline_by:
            return f"By {self.baseline_by}"
        if self.is_statutory:
            return self.statutory_state_label
        return "Not given"

    @property
    def values_given(self) -> bool:
        return any(year.value for year in self.years)

    @property
    def district_split(self) -> str:
        return "; ".join(f"{part.district}: {part.value}" for part in self.district_parts)

    @property
    def contributing_text(self) -> str:
        return ", ".join(self.contributing_partners)

    # --- Constructors --------------------------------------------------------------------

    @classmethod
    def from_target(cls, target, years) -> TargetPresentation:
        """A live target, read through `agreements.selectors.targets_for` (its indicator,
        lead department, partners and district shares already fetched)."""
        indicator = target.indicator if target.indicator_id else None
        return cls._build(
            key=indicator.code if indicator else f"local:{target.pk}",
            pk=target.pk,
            kind=target.kind,
            code=indicator.code if indicator else "",
            title=indicator.title if indicator else target.local_title,
            definition=target.local_definition,
            units=target.units or (indicator.units if indicator else ""),
            lead_department=_department(indicator.lead_department) if indicator else "",
            outcome=target.outcome.title if target.outcome_id else "",
            polarity=target.polarity,
            baseline_value=target.baseline_value,
            baseline_places=target.baseline_places,
            baseline_year=target.baseline_year,
            baseline_due_on=target.baseline_due_on,
            baseline_due_precision=target.baseline_due_precision,
            yearly_values=target.yearly_values,
            years=years,
            is_qualitative=target.is_qualitative,
            statement=target.statement,
            is_stretch=target.is_stretch,
            is_deferred=target.is_deferred,
            caveats=target.caveats,
            status=target.status,
            lead_partner=target.lead_partner.name if target.lead_partner_id else "",
            contributing_partners=sorted(p.name for p in target.contributing_partners.all()),
            district_shares=[
                (share.district.name, share.value, share.places)
                for share in target.district_shares.all()
            ],
            statutory_state=target.statutory_state,
        )

    @classmethod
    def from_snapshot(cls, item: dict, years) -> TargetPresentation:
        """A target as a version froze it (`negotiations.versions.snapshot`). Versions
        frozen before a key existed read as if it were empty."""
        code = item.get("code") or ""
        return cls._build(
            key=item.get("key") or "",
            pk=None,
            kind=item.get("kind") or "local",
            code=code,
            title=item.get("name") or "",
            definition=item.get("definition") or "",
            units=item.get("units") or item.get("indicator_units") or "",
            lead_department=item.get("lead_department") or "",
            outcome=item.get("outcome") or "",
            polarity=item.get("polarity") or "",
            baseline_value=item.get("baseline_value"),
            baseline_places=item.get("baseline_places"),
            baseline_year=item.get("baseline_year") or "",
            baseline_due_on=item.get("baseline_due_on"),
            baseline_due_precision=item.get("baseline_due_precision") or "day",
            yearly_values=item.get("yearly_values"),
            years=years,
            is_qualitative=bool(item.get("is_qualitative")),
            statement=item.get("statement") or "",
            is_stretch=bool(item.get("is_stretch")),
            is_deferred=bool(item.get("is_deferred")),
            caveats=item.get("caveats") or "",
            status=item.get("status") or "",
            lead_partner=item.get("lead_partner") or "",
            contributing_partners=list(item.get("contributing_partners") or []),
            district_shares=[
                (share.get("district") or "", share.get("value"), share.get("places"))
                for share in item.get("district_shares") or []
            ],
            statutory_state=item.get("statutory_state") or "",
        )

    @classmethod
    def _build(cls, *, years, yearly_values, district_shares, **raw) -> TargetPresentation:
        units, qualitative = raw["units"], raw["is_qualitative"]
        values = list(yearly_values or [])
        shown = []
        for index, year in enumerate(years):
            value = values[index] if index < len(values) else None
            places = places_of(value)
            text = decimal_text(value, places)
            shown_text = with_units(text, units)
            if shown_text and qualitative:
                shown_text = f"deemed {shown_text}"
            shown.append(YearValue(year=year, value=text, places=places, text=shown_text))
        state = raw.pop("statutory_state")
        if raw["kind"] == Target.Kind.STATUTORY and not state:
            # Older targets have no state: figures given means they were set.
            has_figures = raw["baseline_value"] not in (None, "") or any(y.value for y in shown)
            state = Target.StatutoryState.SET if has_figures else Target.StatutoryState.AWAITING
        due_on, precision = raw.pop("baseline_due_on"), raw.pop("baseline_due_precision")
        baseline_places = raw.pop("baseline_places")
        baseline = raw.pop("baseline_value")
        code = raw.pop("code")
        polarity = raw.pop("polarity")
        contributing = tuple(raw.pop("contributing_partners"))
        return cls(
            **raw,
            code=code or "Local",
            is_national_indicator=bool(code),
            kind_label=dict(Target.Kind.choices).get(raw["kind"], ""),
            polarity_label=dict(Target.Polarity.choices).get(polarity, "") if polarity else "",
            baseline_value=decimal_text(baseline, baseline_places),
            baseline_places=baseline_places,
            baseline_by=date_at_precision(due_on, precision),
            baseline_by_iso=iso_at_precision(due_on, precision),
            years=tuple(shown),
            # Statutory targets are agreed with DCSF, not in this negotiation.
            status_label=STATUTORY_STATUS
            if raw["kind"] == Target.Kind.STATUTORY
            else dict(NegotiationStatus.choices).get(raw["status"], raw["status"]),
            contributing_partners=contributing,
            district_parts=tuple(
                DistrictPart(
                    district=name,
                    value=decimal_text(value, places),
                    text=with_units(decimal_text(value, places), units),
                )
                for name, value, places in district_shares
            ),
            statutory_state=state,
            statutory_state_label=dict(Target.StatutoryState.choices).get(state, ""),
        )


def _department(organisation) -> str:
    if organisation is None:
        return ""
    return organisation.abbreviation or organisation.name


@dataclass(frozen=True)
class TargetGroups:
    """An agreement's targets by kind, in order, with the round's note on statutory ones."""

    designated: tuple[TargetPresentation, ...]
    statutory: tuple[TargetPresentation, ...]
    local: tuple[TargetPresentation, ...]
    years: tuple[str, ...]
    statutory_note: str = ""

    @property
    def all(self) -> tuple[TargetPresentation, ...]:
        return self.designated + self.statutory + self.local

    @classmethod
    def of(cls, presentations, *, years, statutory_note: str = "") -> TargetGroups:
        grouped: dict[str, list[TargetPresentation]] = {"designated": [], "statutory": []}
        grouped["local"] = []
        for item in presentations:
            grouped.get(item.kind, grouped["local"]).append(item)
        return cls(
            designated=tuple(grouped["designated"]),
            statutory=tuple(grouped["statutory"]),
            local=tuple(grouped["local"]),
            years=tuple(years),
            statutory_note=statutory_note,
        )
