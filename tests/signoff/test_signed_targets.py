"""The signed targets table holds each agreement's signed version's targets exactly as the
version froze them: after signing, after a sign-off is withdrawn, after an amendment is
signed, and after the migration that fills it for versions signed before it existed."""

from __future__ import annotations

import importlib
from decimal import Decimal

from django.apps import apps

from agreements import services as agreement_services
from agreements.models import Agreement, SignedTarget
from agreements.stages import Action, Stage
from negotiations import services as negotiation
from portal.demo import finish_review
from signoff import services
from tests.signoff.conftest import council_of, national_team, sign, sign_everything


def _table(agreement: Agreement) -> list[tuple]:
    return list(
        SignedTarget.objects.filter(agreement=agreement)
        .order_by("position")
        .values_list("version_id", "round_id", "area_id", "code", "indicator__code", "entry")
    )


def _frozen(agreement: Agreement) -> list[tuple]:
    """What the table should hold for the agreement: its signed version's targets."""
    agreement.refresh_from_db()
    if agreement.signed_version is None:
        return []
    return [
        (
            agreement.signed_version_id,
            agreement.round_id,
            agreement.area_id,
            entry["code"],
            entry["code"] or None,
            entry,
        )
        for entry in agreement.signed_version.content["targets"]
    ]


def _move(agreement, actor, action, stage, comment="OK"):
    negotiation.agreement_transition(
        agreement=agreement, actor=actor, action=action, expected_stage=stage, comment=comment
    )
    agreement.refresh_from_db()


def test_the_last_signature_writes_the_signed_versions_targets(
    in_sign_off, lancashire_coordinator, negotiator, admin_user
):
    assert _table(in_sign_off) == []
    sign_everything(
        in_sign_off, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    frozen = _frozen(in_sign_off)
    assert len(frozen) == len(in_sign_off.signed_version.content["targets"]) > 0
    assert _table(in_sign_off) == frozen
    ni_120 = SignedTarget.objects.get(agreement=in_sign_off, code="NI 120")
    entry = ni_120.entry
    assert ni_120.kind == entry["kind"]
    assert ni_120.baseline_value == entry["baseline_value"]
    assert ni_120.baseline_places == entry["baseline_places"]
    assert ni_120.yearly_values == [
        str(v) if v not in (None, "") else "" for v in entry["yearly_values"]
    ]
    assert ni_120.years == in_sign_off.signed_version.content["years"]


def test_a_withdrawn_sign_off_writes_nothing(in_sign_off, lancashire_coordinator):
    partner = in_sign_off.area.partnerships.select_related("organisation").first()
    sign(in_sign_off, lancashire_coordinator, "partners", partner.organisation)
    _move(
        in_sign_off,
        lancashire_coordinator,
        Action.WITHDRAW_FROM_SIGN_OFF,
        Stage.IN_SIGN_OFF,
        "A figure was wrong.",
    )
    assert in_sign_off.signed_version_id is None
    assert _table(in_sign_off) == []


def test_an_amendment_keeps_the_signed_rows_until_it_is_signed_and_then_replaces_them(
    in_sign_off, lancashire_coordinator, negotiator, admin_user
):
    agreement = in_sign_off
    sign_everything(
        agreement, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    first = _frozen(agreement)
    services.round_refresh_open(round=agreement.round, actor=admin_user)
    agreement.round.refresh_from_db()
    _move(agreement, lancashire_coordinator, Action.START_AMENDMENT, Stage.SIGNED, "Refresh")
    target = agreement.targets.get(indicator__code="NI 120")
    agreement_services.target_update(
        target=target,
        actor=lancashire_coordinator,
        expected_version=target.version,
        fields=agreement_services.TargetFields(
            indicator=target.indicator,
            baseline_value=target.baseline_value,
            baseline_year=target.baseline_year,
            yearly_values=(Decimal("705"), Decimal("685"), Decimal("660")),
            lead_partner=target.lead_partner,
        ),
        reason="",
    )
    negotiation.amendment_reasons_save(
        agreement=agreement,
        actor=lancashire_coordinator,
        reasons={"target:NI 120": "2008/09 outturn beat the trajectory."},
    )
    _move(agreement, lancashire_coordinator, Action.SUBMIT, Stage.DRAFTING)
    _move(agreement, negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    finish_review(agreement, negotiator)
    _move(agreement, negotiator, Action.AGREE_IN_PRINCIPLE, Stage.IN_REVIEW)
    _move(agreement, negotiator, Action.START_SIGN_OFF, Stage.AGREED_IN_PRINCIPLE)
    sign(agreement, lancashire_coordinator, "council", council_of(agreement))
    # Taken back from sign-off: the signatures are void, the earlier version stays signed.
    _move(
        agreement,
        lancashire_coordinator,
        Action.WITHDRAW_FROM_SIGN_OFF,
        Stage.IN_SIGN_OFF,
        "One more change.",
    )
    assert _table(agreement) == first == _frozen(agreement)
    _move(agreement, lancashire_coordinator, Action.SUBMIT, Stage.RETURNED)
    _move(agreement, negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    finish_review(agreement, negotiator)
    _move(agreement, negotiator, Action.AGREE_IN_PRINCIPLE, Stage.IN_REVIEW)
    _move(agreement, negotiator, Action.START_SIGN_OFF, Stage.AGREED_IN_PRINCIPLE)
    sign(agreement, lancashire_coordinator, "council", council_of(agreement))
    sign(agreement, negotiator, "go", agreement.area.government_office)
    sign(agreement, admin_user, "minister", national_team())
    second = _frozen(agreement)
    assert second[0][0] != first[0][0]
    assert _table(agreement) == second
    (ni_120,) = [row for row in second if row[3] == "NI 120"]
    assert ni_120[5]["yearly_values"][1:] == ["685", "660"]


def test_the_migration_fills_the_table_for_every_signed_version(
    in_sign_off, lancashire_coordinator, negotiator, admin_user
):
    sign_everything(
        in_sign_off, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    signed = list(Agreement.objects.filter(signed_version__isnull=False))
    assert len(signed) > 1  # the demo's signed agreements too
    written = {a.pk: _table(a) for a in signed}
    SignedTarget.objects.all().delete()
    migration = importlib.import_module("agreements.migrations.0007_fill_signed_targets")
    migration.fill(apps, None)
    for agreement in signed:
        assert _table(agreement) == _frozen(agreement) == written[agreement.pk]
    assert SignedTarget.objects.count() == sum(len(rows) for rows in written.values())
