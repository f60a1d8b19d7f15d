"""Every change to an agreement's content goes through these functions.

Each runs in one transaction, locks the rows it checks, records who changed what and why
(django-simple-history), and refuses an edit based on a version older than the one saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model

from accounts.models import Area, Organisation, User
from agreements import hooks
from agreements.keys import target_key
from agreements.models import (
    FINAL_STATUSES,
    Agreement,
    AgreementFundingStream,
    AgreementTheme,
    AreaAssignment,
    AreaAssignmentChange,
    DatePrecision,
    DistrictShare,
    FundingStream,
    NegotiationStatus,
    Outcome,
    SignedTarget,
    Target,
)
from agreements.permissions import assignable_colleagues
from agreements.presentation import places_of
from agreements.stages import Stage, is_editable
from core.errors import ConflictError, ServiceError
from core.models import TimestampedModel
from core.text import lower_first
from indicators.models import Indicator, Round, RoundIndicator, Theme


@dataclass(frozen=True)
class TargetFields:
    """The editable content of a target, as a form or an import row provides it."""

    indicator: Indicator | None = None
    outcome: Outcome | None = None
    local_title: str = ""
    local_definition: str = ""
    units: str = ""
    polarity: str = ""
    baseline_value: Decimal | None = None
    baseline_year: str = ""
    baseline_due_on: Any = None
    baseline_due_precision: str = DatePrecision.DAY
    yearly_values: tuple[Decimal | None, ...] = ()
    is_qualitative: bool = False
    statement: str = ""
    is_stretch: bool = False
    is_deferred: bool = False
    caveats: str = ""
    lead_partner: Organisation | None = None
    contributing_partners: tuple[Organisation, ...] = ()
    district_shares: tuple[tuple[Organisation, Decimal], ...] = ()


# --- Helpers -------------------------------------------------------------------------------


M = TypeVar("M", bound=Model)


def _lock(instance: M) -> M:
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def _require_edit(agreement: Agreement, actor: User) -> None:
    if not actor.has_perm("agreements.see_agreement", agreement):
        raise PermissionDenied
    if not actor.has_perm("agreements.edit_draft", agreement):
        raise ServiceError(not_editable_message(agreement))


def not_editable_message(agreement: Agreement) -> str:
    if agreement.stage == Stage.IN_SIGN_OFF:
        return (
            "The agreement is in sign-off, so its content is locked. To change it, take it "
            "back from sign-off on the negotiation page: every signature made so far "
            "becomes void."
        )
    if agreement.stage == Stage.SIGNED:
        return (
            "The agreement is signed. Changes are made in an amendment, once the national "
            "team opens a refresh."
        )
    return f"The draft cannot be changed while it is {lower_first(agreement.get_stage_display())}."


def _lock_editable(agreement: Agreement) -> Agreement:
    """Lock the agreement's row and check its stage again under the lock, so that an edit
    racing a submission cannot change the draft after its version was frozen."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not is_editable(locked.stage):
        raise ServiceError(not_editable_message(locked))
    return locked


def _save(instance: TimestampedModel | AgreementTheme, *, actor: User | None, reason: str) -> None:
    instance._history_user = actor
    instance._change_reason = reason[:100] if reason else None
    instance.save()


def _versioned(instance, *, expected_version: int):
    locked = _lock(instance)
    if locked.version != expected_version:
        raise ConflictError(current=locked)
    locked.version += 1
    return locked


def _reopen_if_changed(item, *, before: tuple, after: tuple, reason: str) -> str:
    """A settled item whose content changes goes back to Proposed: the GO agreed the
    figures it saw, not these. Returns the history reason, saying so when it happens."""
    if item.status not in FINAL_STATUSES or before == after:
        return reason
    settled = lower_first(NegotiationStatus(item.status).label)
    item.status = NegotiationStatus.PROPOSED
    # First, so that the history's 100 characters never cut it off.
    return f"Back to proposed from {settled}: {reason}"


def _note_amendment_reason(
    agreement: Agreement, keys: Iterable[str], *, reason: str, actor: User
) -> None:
    """The reason a person gave for changing these items, for the apps that keep it (the
    amendment of a signed agreement keeps it as its reason: negotiations.amendments)."""
    hooks.items_changed(agreement, keys, reason=reason, actor=actor)


def _decimal_strings(values: Iterable[Decimal | None], *, count: int, label: str) -> list:
    values = list(values)
    if len(values) != count:
        raise ServiceError(f"Give one {label} for each of the round's {count} years.")
    out: list[str | None] = []
    for value in values:
        if value is None or value == "":
            out.append(None)
            continue
        try:
            out.append(str(Decimal(str(value))))
        except InvalidOperation as exc:
            raise ServiceError(f"{value!r} is not a number.") from exc
    return out


# --- Agreements ----------------------------------------------------------------------------


def agreement_open(*, area: Area, round: Round, actor: User) -> tuple[Agreement, bool]:
    """Open the area's agreement for the round (or return the one already open), with the
    round's statutory education targets in place."""
    organisation = actor.organisation
    is_own_area = organisation is not None and organisation.area_id == area.pk
    if not (
        actor.has_perm("agreements.open_round")
        or (actor.has_perm("agreements.open_own") and is_own_area)
    ):
        raise PermissionDenied
    with transaction.atomic():
        agreement = Agreement.objects.filter(area=area, round=round).first()
        if agreement is not None:
            return agreement, False
        agreement = Agreement(area=area, round=round, opened_by=actor)
        _save(agreement, actor=actor, reason="Agreement opened")
        if round.statutory_targets_apply:
            entries = RoundIndicator.objects.filter(round=round, is_statutory=True).select_related(
                "indicator"
            )
            for entry in entries:
                target = Target(
                    agreement=agreement,
                    kind=Target.Kind.STATUTORY,
                    indicator=entry.indicator,
                    units=entry.indicator.units,
                    polarity=entry.indicator.polarity,
                    yearly_values=[None] * round.year_count,
                    statutory_state=Target.StatutoryState.AWAITING,
                )
                _save(target, actor=actor, reason="Statutory education target")
    return agreement, True


def agreements_open_for_round(*, round: Round, actor: User) -> int:
    """Open an agreement for every area that has none in the round. Returns how many."""
    if not actor.has_perm("agreements.open_round"):
        raise PermissionDenied
    opened = 0
    for area in Area.objects.exclude(agreements__round=round).order_by("name"):
        _, created = agreement_open(area=area, round=round, actor=actor)
        opened += created
    return opened


def agreement_update_narrative(
    *,
    agreement: Agreement,
    actor: User,
    expected_version: int,
    story_of_place: str,
    governance: str,
    reason: str = "",
) -> Agreement:
    _require_edit(agreement, actor)
    with transaction.atomic():
        _lock_editable(agreement)
        locked = _versioned(agreement, expected_version=expected_version)
        keys = [
            f"section:{name}"
            for name, value in (("story_of_place", story_of_place), ("governance", governance))
            if getattr(locked, name) != value
        ]
        locked.story_of_place = story_of_place
        locked.governance = governance
        _save(locked, actor=actor, reason=reason or "Narrative edited")
        _note_amendment_reason(locked, keys, reason=reason, actor=actor)
    return locked


def agreement_theme_add(*, agreement: Agreement, actor: User, theme: Theme) -> AgreementTheme:
    _require_edit(agreement, actor)
    if theme.round_id != agreement.round_id:
        raise ServiceError("That theme belongs to another round.")
    try:
        with transaction.atomic():
            _lock_editable(agreement)
            existing = AgreementTheme.objects.filter(agreement=agreement, theme=theme).first()
            if existing:
                return existing
            agreement_theme = AgreementTheme(agreement=agreement, theme=theme)
            _save(agreement_theme, actor=actor, reason="Theme added")
    except IntegrityError:
        # Someone added the same theme a moment earlier: theirs serves.
        return AgreementTheme.objects.get(agreement=agreement, theme=theme)
    return agreement_theme


def outcome_create(
    *,
    agreement: Agreement,
    actor: User,
    agreement_theme: AgreementTheme,
    title: str,
    description: str = "",
) -> Outcome:
    _require_edit(agreement, actor)
    if agreement_theme.agreement_id != agreement.pk:
        raise ServiceError("That theme is not part of this agreement.")
    with transaction.atomic():
        _lock_editable(agreement)
        outcome = Outcome(
            agreement=agreement,
            agreement_theme=agreement_theme,
            title=title,
            description=description,
        )
        _save(outcome, actor=actor, reason="Outcome added")
    return outcome


def outcome_update(
    *,
    outcome: Outcome,
    actor: User,
    expected_version: int,
    title: str,
    description: str,
    reason: str = "",
) -> Outcome:
    _require_edit(outcome.agreement, actor)
    with transaction.atomic():
        locked_agreement = _lock_editable(outcome.agreement)
        locked = _versioned(outcome, expected_version=expected_version)
        theme = locked.agreement_theme.theme.name
        keys = [f"outcome:{theme}/{locked.title}", f"outcome:{theme}/{title}"]
        locked.title = title
        locked.description = description
        _save(locked, actor=actor, reason=reason or "Outcome edited")
        _note_amendment_reason(locked_agreement, keys, reason=reason, actor=actor)
    return locked


# --- Targets -------------------------------------------------------------------------------


def target_rule_errors(fields: TargetFields) -> list[ServiceError]:
    """The rules a target's content keeps whoever enters it (the target form, an import
    row, a service call): each refusal names the form field it is about. The target form
    shows them all at once; the services refuse the first."""
    errors = []
    if fields.is_deferred and not fields.caveats.strip():
        errors.append(ServiceError("Give a caveat for a deferred target", field="caveats"))
    if fields.lead_partner is not None and fields.lead_partner in fields.contributing_partners:
        errors.append(
            ServiceError(
                "The lead partner is not also a contributor", field="contributing_partners"
            )
        )
    if fields.is_qualitative and not fields.statement.strip():
        errors.append(ServiceError("Enter the target in words", field="statement"))
    return errors


def _check_target_fields(agreement: Agreement, kind: str, fields: TargetFields) -> None:
    for error in target_rule_errors(fields):
        raise error
    if kind == Target.Kind.LOCAL:
        # Either a national indicator of the round's catalogue or the area's own.
        if fields.indicator is not None and fields.local_title.strip():
            raise ServiceError(
                "A local target uses a national indicator or its own indicator, not both.",
                field="local_title",
            )
        if fields.indicator is None and not fields.local_title.strip():
            raise ServiceError(
                "Choose a national indicator or give the local indicator a name.",
                field="local_title",
            )
        if fields.indicator is not None:
            entry = RoundIndicator.objects.filter(
                round_id=agreement.round_id, indicator=fields.indicator
            ).first()
            if entry is None:
                raise ServiceError(
                    f"{fields.indicator.code} is not in the {agreement.round} catalogue.",
                    field="indicator",
                )
            if entry.is_statutory:
                raise ServiceError(
                    f"{fields.indicator.code} is a statutory education target, agreed with DCSF.",
                    field="indicator",
                )
    elif fields.indicator is None:
        raise ServiceError("Choose an indicator.", field="indicator")
    if fields.outcome is not None and fields.outcome.agreement_id != agreement.pk:
        raise ServiceError("That outcome belongs to another agreement.", field="outcome")
    partners = {
        org.pk
        for org in Organisation.objects.filter(
            kind=Organisation.Kind.LOCALITY, area_id=agreement.area_id
        )
    } | set(
        Organisation.objects.filter(partnerships__area_id=agreement.area_id).values_list(
            "pk", flat=True
        )
    )
    if fields.lead_partner is not None and fields.lead_partner.pk not in partners:
        raise ServiceError(
            f"{fields.lead_partner} is not a partner in {agreement.area}.", field="lead_partner"
        )
    for organisation in fields.contributing_partners:
        if organisation.pk not in partners:
            raise ServiceError(
                f"{organisation} is not a partner in {agreement.area}.",
                field="contributing_partners",
            )
    if fields.district_shares and not agreement.area.is_two_tier:
        raise ServiceError("Only two-tier areas split targets by district.")


def period_start(day: dt.date | None, precision: str) -> dt.date | None:
    """The first day of the year or month a date stands for, as it is stored."""
    if day is None:
        return None
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def _apply_target_fields(target: Target, agreement: Agreement, fields: TargetFields) -> None:
    target.indicator = fields.indicator
    target.outcome = fields.outcome
    # A target on a national indicator takes the indicator's title and definition.
    target.local_title = "" if fields.indicator else fields.local_title.strip()
    target.local_definition = "" if fields.indicator else fields.local_definition
    target.units = fields.units or (fields.indicator.units if fields.indicator else "")
    target.polarity = fields.polarity or (fields.indicator.polarity if fields.indicator else "")
    target.baseline_value = fields.baseline_value
    target.baseline_places = places_of(fields.baseline_value)
    target.baseline_year = fields.baseline_year
    precision = fields.baseline_due_precision or DatePrecision.DAY
    if precision not in DatePrecision.values:
        raise ServiceError("Say whether the baseline date is a year, a month or a day.")
    target.baseline_due_on = period_start(fields.baseline_due_on, precision)
    target.baseline_due_precision = precision if fields.baseline_due_on else DatePrecision.DAY
    target.is_qualitative = fields.is_qualitative
    target.statement = fields.statement.strip() if fields.is_qualitative else ""
    target.yearly_values = _decimal_strings(
        fields.yearly_values or [None] * agreement.round.year_count,
        count=agreement.round.year_count,
        label="target value",
    )
    target.is_stretch = fields.is_stretch
    target.is_deferred = fields.is_deferred
    target.caveats = fields.caveats
    target.lead_partner = fields.lead_partner


def _save_target_relations(target: Target, fields: TargetFields) -> None:
    target.contributing_partners.set(fields.contributing_partners)
    target.district_shares.all().delete()
    DistrictShare.objects.bulk_create(
        DistrictShare(target=target, district=district, value=value, places=places_of(value))
        for district, value in fields.district_shares
    )


def _check_designated(
    agreement: Agreement, indicator: Indicator | None, *, exclude_pk=None
) -> None:
    if indicator is None:
        raise ServiceError("A designated target needs an indicator from the round's catalogue.")
    entry = RoundIndicator.objects.filter(round=agreement.round, indicator=indicator).first()
    if entry is None:
        raise ServiceError(f"{indicator.code} is not in the {agreement.round} catalogue.")
    if entry.is_statutory:
        raise ServiceError(
            f"{indicator.code} is a statutory education target, agreed alongside the "
            "designated targets."
        )
    cap = agreement.round.designated_target_cap
    if cap is not None:
        designated = agreement.targets.filter(kind=Target.Kind.DESIGNATED).exclude(pk=exclude_pk)
        if designated.count() >= cap:
            raise ServiceError(
                f"This agreement already has {cap} designated targets, the most the round allows."
            )


# A statutory education target's figures come from DCSF, loaded by the national team
# (statutory_values_load); editing the target never changes them.
STATUTORY_FIGURES = (
    "units",
    "polarity",
    "baseline_value",
    "baseline_places",
    "baseline_year",
    "baseline_due_on",
    "baseline_due_precision",
    "yearly_values",
    "is_qualitative",
    "statement",
    "statutory_state",
)


# What the GO agrees when it agrees a target, besides its partners and district shares.
TARGET_CONTENT = (
    "indicator_id",
    "outcome_id",
    "local_title",
    "local_definition",
    "units",
    "polarity",
    "baseline_value",
    "baseline_places",
    "baseline_year",
    "baseline_due_on",
    "baseline_due_precision",
    "yearly_values",
    "is_qualitative",
    "statement",
    "is_stretch",
    "is_deferred",
    "caveats",
    "lead_partner_id",
)


def _target_content(target: Target, *, partners: Iterable[int], shares: Iterable[tuple]) -> tuple:
    return (
        tuple(getattr(target, name) for name in TARGET_CONTENT),
        frozenset(partners),
        frozenset(shares),
    )


def target_create(
    *, agreement: Agreement, actor: User, kind: str, fields: TargetFields, reason: str = ""
) -> Target:
    if kind == Target.Kind.STATUTORY:
        raise ServiceError("Statutory education targets come with the agreement.")
    _require_edit(agreement, actor)
    _check_target_fields(agreement, kind, fields)
    try:
        with transaction.atomic():
            # The agreement's row lock serialises additions, so two people adding the
            # last designated target at once cannot exceed the cap.
            locked = _lock_editable(agreement)
            if kind == Target.Kind.DESIGNATED:
                _check_designated(locked, fields.indicator)
            target = Target(agreement=locked, kind=kind)
            _apply_target_fields(target, locked, fields)
            _save(target, actor=actor, reason=reason or "Target added")
            _save_target_relations(target, fields)
            _note_amendment_reason(
                locked, [f"target:{target_key(target)}"], reason=reason, actor=actor
            )
    except IntegrityError as exc:
        raise ServiceError(
            f"{fields.indicator.code if fields.indicator else 'That indicator'} is already "
            "in this agreement."
        ) from exc
    return target


def target_update(
    *, target: Target, actor: User, expected_version: int, fields: TargetFields, reason: str
) -> Target:
    agreement = target.agreement
    _require_edit(agreement, actor)
    if target.kind == Target.Kind.STATUTORY and fields.indicator != target.indicator:
        raise ServiceError("A statutory education target keeps its indicator.")
    _check_target_fields(agreement, target.kind, fields)
    try:
        with transaction.atomic():
            locked_agreement = _lock_editable(agreement)
            locked = _versioned(target, expected_version=expected_version)
            if target.kind == Target.Kind.DESIGNATED and fields.indicator != locked.indicator:
                _check_designated(agreement, fields.indicator, exclude_pk=locked.pk)
            keys = [f"target:{target_key(locked)}"]
            kept = {}
            if locked.kind == Target.Kind.STATUTORY:
                kept = {name: getattr(locked, name) for name in STATUTORY_FIGURES}
            before = _target_content(
                locked,
                partners=locked.contributing_partners.values_list("pk", flat=True),
                shares=locked.district_shares.values_list("district_id", "value", "places"),
            )
            _apply_target_fields(locked, agreement, fields)
            for name, value in kept.items():
                setattr(locked, name, value)
            after = _target_content(
                locked,
                partners=(org.pk for org in fields.contributing_partners),
                shares=(
                    (district.pk, value, places_of(value))
                    for district, value in fields.district_shares
                ),
            )
            history = _reopen_if_changed(
                locked, before=before, after=after, reason=reason or "Target edited"
            )
            _save(locked, actor=actor, reason=history)
            _save_target_relations(locked, fields)
            keys.append(f"target:{target_key(locked)}")
            _note_amendment_reason(locked_agreement, keys, reason=reason, actor=actor)
    except IntegrityError as exc:
        raise ServiceError(
            f"{fields.indicator.code if fields.indicator else 'That indicator'} is already "
            "in this agreement."
        ) from exc
    return locked


def target_delete(*, target: Target, actor: User, expected_version: int, reason: str = "") -> None:
    _require_edit(target.agreement, actor)
    if target.kind == Target.Kind.STATUTORY:
        raise ServiceError("Statutory education targets cannot be removed.")
    with transaction.atomic():
        locked_agreement = _lock_editable(target.agreement)
        locked = _versioned(target, expected_version=expected_version)
        key = f"target:{target_key(locked)}"
        hooks.target_removing(locked)
        locked._history_user = actor
        locked._change_reason = reason or "Target removed"
        locked.delete()
        _note_amendment_reason(locked_agreement, [key], reason=reason, actor=actor)


def targets_import(
    *, agreement: Agreement, actor: User, rows: list[TargetFields], reason: str = ""
) -> list[Target]:
    """Add designated targets from an uploaded file: all of them, or none."""
    _require_edit(agreement, actor)
    for fields in rows:
        _check_target_fields(agreement, Target.Kind.DESIGNATED, fields)
    created = []
    try:
        with transaction.atomic():
            locked = _lock_editable(agreement)
            for fields in rows:
                _check_designated(locked, fields.indicator)
                target = Target(agreement=locked, kind=Target.Kind.DESIGNATED)
                _apply_target_fields(target, locked, fields)
                _save(target, actor=actor, reason=reason or "Imported from a file")
                _save_target_relations(target, fields)
                created.append(target)
    except IntegrityError as exc:
        raise ServiceError("An indicator in the file is already in this agreement.") from exc
    return created


# --- Funding streams -----------------------------------------------------------------------


@dataclass(frozen=True)
class FundingFields:
    provider: Organisation
    arrangement: str
    yearly_amounts: tuple[Decimal | None, ...] = ()
    is_unquantified: bool = False
    conditions: str = ""
    outcomes: tuple[Outcome, ...] = ()


def funding_rule_errors(fields: FundingFields, *, year_count: int) -> list[ServiceError]:
    """The rules a funding entry's amounts keep, each naming the form field it is about:
    amounts or a statement that they are not yet quantified, and none negative."""
    amounts = list(fields.yearly_amounts) + [None] * (year_count - len(fields.yearly_amounts))
    errors = []
    if not fields.is_unquantified and all(amount in (None, "") for amount in amounts):
        errors.append(
            ServiceError(
                "Enter the amounts, or say the amount is not yet quantified", field="amount_0"
            )
        )
    for index, amount in enumerate(amounts):
        try:
            negative = amount not in (None, "") and Decimal(str(amount)) < 0
        except InvalidOperation:
            continue  # refused as not a number when the amounts are read
        if negative:
            errors.append(ServiceError("An amount cannot be negative", field=f"amount_{index}"))
    return errors


def _apply_funding(entry: AgreementFundingStream, agreement: Agreement, fields: FundingFields):
    for error in funding_rule_errors(fields, year_count=agreement.round.year_count):
        raise error
    if fields.is_unquantified:
        entry.yearly_amounts = [None] * agreement.round.year_count
    else:
        entry.yearly_amounts = _decimal_strings(
            fields.yearly_amounts, count=agreement.round.year_count, label="amount"
        )
    if any(outcome.agreement_id != agreement.pk for outcome in fields.outcomes):
        raise ServiceError("An outcome chosen belongs to another agreement.")
    entry.provider = fields.provider
    entry.arrangement = fields.arrangement
    entry.is_unquantified = fields.is_unquantified
    entry.conditions = fields.conditions


def _funding_content(entry: AgreementFundingStream, *, outcomes: Iterable[int]) -> tuple:
    """What the GO agrees when it agrees a funding entry. Consent is the provider's, not
    part of the negotiation."""
    return (
        entry.provider_id,
        entry.arrangement,
        entry.is_unquantified,
        list(entry.yearly_amounts or []),
        entry.conditions,
        frozenset(outcomes),
    )


def funding_stream_create(
    *,
    round: Round,
    actor: User,
    name: str,
    department: Organisation,
    kind: str,
    description: str = "",
) -> FundingStream:
    if not actor.has_perm("agreements.manage_funding_catalogue"):
        raise PermissionDenied
    try:
        with transaction.atomic():
            stream = FundingStream(
                round=round,
                name=name.strip(),
                department=department,
                kind=kind,
                description=description,
            )
            _save(stream, actor=actor, reason="Added to the catalogue")
    except IntegrityError as exc:
        raise ServiceError(f"The {round} catalogue already has a stream called {name!r}.") from exc
    return stream


def funding_create(
    *, agreement: Agreement, actor: User, stream: FundingStream, fields: FundingFields
) -> AgreementFundingStream:
    _require_edit(agreement, actor)
    if stream.round_id != agreement.round_id:
        raise ServiceError("That funding stream belongs to another round.")
    try:
        with transaction.atomic():
            _lock_editable(agreement)
            entry = AgreementFundingStream(agreement=agreement, stream=stream)
            _apply_funding(entry, agreement, fields)
            _save(entry, actor=actor, reason="Funding stream added")
            entry.outcomes.set(fields.outcomes)
    except IntegrityError as exc:
        raise ServiceError(f"{stream} is already in this agreement.") from exc
    return entry


def funding_update(
    *,
    entry: AgreementFundingStream,
    actor: User,
    expected_version: int,
    fields: FundingFields,
    reason: str,
) -> AgreementFundingStream:
    _require_edit(entry.agreement, actor)
    with transaction.atomic():
        locked_agreement = _lock_editable(entry.agreement)
        locked = _versioned(entry, expected_version=expected_version)
        provider_changed = locked.provider_id != fields.provider.pk
        before = _funding_content(locked, outcomes=locked.outcomes.values_list("pk", flat=True))
        _apply_funding(locked, entry.agreement, fields)
        after = _funding_content(locked, outcomes=(outcome.pk for outcome in fields.outcomes))
        history = _reopen_if_changed(
            locked, before=before, after=after, reason=reason or "Funding stream edited"
        )
        _note_amendment_reason(
            locked_agreement, [f"funding:{locked.stream.name}"], reason=reason, actor=actor
        )
        if provider_changed:
            # Consent was given by the previous provider; it does not carry over.
            locked.consent_given_by, locked.consent_given_on = "", None
            locked.consent_recorded_by = None
        _save(locked, actor=actor, reason=history)
        locked.outcomes.set(fields.outcomes)
    return locked


def funding_consent_record(
    *,
    entry: AgreementFundingStream,
    actor: User,
    expected_version: int,
    given_by: str,
    given_on,
) -> AgreementFundingStream:
    _require_edit(entry.agreement, actor)
    if not given_by.strip():
        raise ServiceError("Name the person who gave consent.", field="given_by")
    if given_on is None:
        # Consent without its date is not consent the agreement can rely on (has_consent).
        raise ServiceError("Enter the date consent was given", field="given_on")
    with transaction.atomic():
        _lock_editable(entry.agreement)
        locked = _versioned(entry, expected_version=expected_version)
        locked.consent_given_by = given_by.strip()
        locked.consent_given_on = given_on
        locked.consent_recorded_by = actor
        _save(locked, actor=actor, reason=f"Consent of {locked.provider} recorded")
    return locked


# --- Statutory education targets ----------------------------------------------------------


@dataclass(frozen=True)
class StatutoryFigures:
    """The figures DCSF gave for one area's statutory education target."""

    target: Target
    baseline_value: Decimal | None
    yearly_values: tuple[Decimal | None, ...]


def statutory_values_load(
    *, round: Round, actor: User, rows: list[StatutoryFigures], filename: str
) -> list[Target]:
    """Set the figures of statutory education targets from a file: all of them, or none.
    Each target's history records the file and who loaded it."""
    if not actor.has_perm("agreements.load_statutory_values"):
        raise PermissionDenied
    who = actor.get_full_name() or actor.email
    reason = f"Statutory values loaded from {filename} by {who}"
    if len(reason) > 100:  # the history keeps 100 characters: shorten the file's name
        room = max(10, len(filename) - (len(reason) - 100) - 1)
        reason = f"Statutory values loaded from {filename[:room]}… by {who}"[:100]
    saved = []
    with transaction.atomic():
        for row in rows:
            locked = (
                Target.objects.select_for_update().select_related("agreement").get(pk=row.target.pk)
            )
            if locked.kind != Target.Kind.STATUTORY or locked.agreement.round_id != round.pk:
                raise ServiceError(f"{locked} is not a statutory target of {round}.")
            locked.baseline_value = row.baseline_value
            locked.baseline_places = places_of(row.baseline_value)
            locked.yearly_values = _decimal_strings(
                row.yearly_values, count=round.year_count, label="value"
            )
            locked.statutory_state = Target.StatutoryState.SET
            locked.version += 1
            _save(locked, actor=actor, reason=reason)
            saved.append(locked)
    return saved


def round_statutory_note_set(*, round: Round, actor: User, note: str) -> Round:
    """The note shown wherever the round's statutory education targets appear."""
    if not actor.has_perm("agreements.load_statutory_values"):
        raise PermissionDenied
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        locked.statutory_note = note.strip()
        _save(locked, actor=actor, reason="Statutory note edited")
    return locked


def areas_assign(*, areas: Iterable[Area], negotiator: User, actor: User) -> int:
    """Hand areas of the actor's Government Office to a negotiator of the same office.
    Each change of hands is recorded (from whom, to whom, by whom); an area already with
    that negotiator is left as it is. Returns how many changed hands."""
    areas = list(areas)
    if not all(actor.has_perm("agreements.assign_area", area) for area in areas):
        raise PermissionDenied
    if not User.objects.filter(assignable_colleagues(actor), pk=negotiator.pk).exists():
        raise ServiceError("Choose a negotiator of your Government Office", field="negotiator")
    changed = 0
    with transaction.atomic():
        current = {
            a.area_id: a
            for a in AreaAssignment.objects.select_for_update()
            .filter(area__in=areas)
            .order_by("pk")  # lock the assignments alone, not their areas
        }
        for area in areas:
            assignment = current.get(area.pk)
            if assignment is not None and assignment.negotiator_id == negotiator.pk:
                continue
            AreaAssignmentChange.objects.create(
                area=area,
                from_negotiator_id=assignment.negotiator_id if assignment else None,
                to_negotiator=negotiator,
                actor=actor,
            )
            if assignment is None:
                AreaAssignment.objects.create(area=area, negotiator=negotiator)
            else:
                assignment.negotiator = negotiator
                assignment.save(update_fields=["negotiator", "updated_at"])
            changed += 1
    return changed


# --- Signed targets --------------------------------------------------------------------------


def _signed_target(
    agreement: Agreement, version_id: int, position: int, entry: dict, years, indicators: dict
) -> SignedTarget:
    """One target of the agreement's signed version as a row, its figures as the version
    froze them (`negotiations.versions.snapshot`)."""
    code = entry.get("code") or ""
    baseline, places = entry.get("baseline_value"), entry.get("baseline_places")
    return SignedTarget(
        agreement_id=agreement.pk,
        version_id=version_id,
        round_id=agreement.round_id,
        area_id=agreement.area_id,
        position=position,
        key=entry.get("key") or "",
        code=code,
        indicator_id=indicators.get(code),
        kind=entry.get("kind") or "",
        units=entry.get("units") or "",
        indicator_units=entry.get("indicator_units") or "",
        baseline_value=None if baseline is None else str(baseline),
        baseline_places=places if type(places) is int else None,
        yearly_values=[
            str(value) if value not in (None, "") else ""
            for value in entry.get("yearly_values") or []
        ],
        is_qualitative=bool(entry.get("is_qualitative")),
        caveats=entry.get("caveats") or "",
        status=entry.get("status") or "",
        years=years,
        entry=entry,
    )


def signed_targets_record(*, agreements: Iterable[Agreement]) -> int:
    """Make the signed targets of each agreement those of its signed version: the rows of
    any version it signed before go, and an agreement not signed keeps none. Called in the
    transaction that signs a version (the sign-off's last signature), and by the seeds that
    sign many agreements at once. Returns the rows written."""
    agreements = list(agreements)
    if not agreements:
        return 0
    SignedTarget.objects.filter(agreement__in=[a.pk for a in agreements]).delete()
    field = Agreement._meta.get_field("signed_version")
    # The versions' contents, read in one query for any agreement not holding its own.
    unread = [
        a.signed_version_id for a in agreements if a.signed_version_id and not field.is_cached(a)
    ]
    read = dict(
        field.related_model._default_manager.filter(pk__in=unread).values_list("pk", "content")
        if unread
        else []
    )
    contents = [
        (
            agreement,
            version_id,
            (
                getattr(agreement.signed_version, "content", None)
                if field.is_cached(agreement)
                else read.get(version_id)
            )
            or {},
        )
        for agreement in agreements
        if (version_id := agreement.signed_version_id) is not None
    ]
    codes = {
        entry.get("code")
        for _, _, content in contents
        for entry in content.get("targets") or []
        if entry.get("code")
    }
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    rows = [
        _signed_target(agreement, version_id, position, entry, content.get("years"), indicators)
        for agreement, version_id, content in contents
        for position, entry in enumerate(content.get("targets") or [])
    ]
    SignedTarget.objects.bulk_create(rows, batch_size=500)
    return len(rows)
