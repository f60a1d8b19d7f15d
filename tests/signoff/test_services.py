"""The sign-off chain: order, what each signature records, locking and voiding, signing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agreements import services as agreement_services
from agreements.stages import Action, Stage
from core.errors import ServiceError
from negotiations import services as negotiation
from negotiations.models import StageChange
from negotiations.versions import snapshot
from notifications.models import Notification
from signoff.models import Signature, SignOff, StepKind
from signoff.selectors import chain
from tests.signoff.conftest import (
    PARTNERS,
    council_of,
    national_team,
    run_of,
    sign,
    sign_everything,
)


def _police(agreement):
    return agreement.area.partnerships.get(organisation__name=PARTNERS[0]).organisation


def _pct(agreement):
    return agreement.area.partnerships.get(organisation__name=PARTNERS[1]).organisation


def test_starting_sign_off_freezes_the_content_into_the_version_to_sign(agreed, negotiator):
    before = snapshot(agreed)
    negotiation.agreement_transition(
        agreement=agreed,
        actor=negotiator,
        action=Action.START_SIGN_OFF,
        expected_stage=Stage.AGREED_IN_PRINCIPLE,
    )
    agreed.refresh_from_db()
    run = run_of(agreed)
    assert agreed.stage == Stage.IN_SIGN_OFF
    assert run.version.content == before
    assert run.steps == ["partners", "council", "go", "minister"]
    assert run.purpose == SignOff.Purpose.SIGNING


def test_sign_off_waits_for_complete_content_without_open_challenges(lancashire, negotiator):
    from tests.negotiations.conftest import set_stage

    agreement = set_stage(lancashire, Stage.AGREED_IN_PRINCIPLE)
    with pytest.raises(ServiceError, match="still open"):
        negotiation.agreement_transition(
            agreement=agreement,
            actor=negotiator,
            action=Action.START_SIGN_OFF,
            expected_stage=Stage.AGREED_IN_PRINCIPLE,
        )
    assert not agreement.sign_offs.exists()


def test_the_chain_order_is_enforced(in_sign_off, lancashire_coordinator, negotiator, admin_user):
    agreement = in_sign_off
    with pytest.raises(ServiceError, match="waiting for the partners' sign-off first"):
        sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    with pytest.raises(ServiceError, match="waiting for the partners' sign-off first"):
        sign(agreement, negotiator, StepKind.GO, agreement.area.government_office)
    with pytest.raises(ServiceError, match="waiting for the partners' sign-off first"):
        sign(agreement, admin_user, StepKind.MINISTER, national_team())
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _police(agreement))
    # One partner is not enough: every named partner signs before the council adopts.
    with pytest.raises(ServiceError, match="waiting for the partners' sign-off first"):
        sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _pct(agreement))
    with pytest.raises(ServiceError, match="waiting for the council's adoption first"):
        sign(agreement, admin_user, StepKind.MINISTER, national_team())
    sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    with pytest.raises(ServiceError, match="waiting for the Government Office's recommendation"):
        sign(agreement, admin_user, StepKind.MINISTER, national_team())
    assert Signature.objects.filter(sign_off__agreement=agreement).count() == 3


def test_the_completed_chain_signs_the_version_the_signatories_saw(
    in_sign_off, lancashire_coordinator, negotiator, admin_user
):
    agreement = in_sign_off
    run = run_of(agreement)
    seen = run.version.content
    sign_everything(
        agreement, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    agreement.refresh_from_db()
    run.refresh_from_db()
    assert agreement.stage == Stage.SIGNED
    assert run.state == SignOff.State.COMPLETED
    assert agreement.signed_version == run.version
    assert agreement.signed_version.content == seen == snapshot(agreement)
    signatures = list(run.signatures.all())
    assert len(signatures) == 5  # two partners, council, GO, Minister
    assert {s.version_id for s in signatures} == {run.version.pk}
    assert all(f"version {run.version.number}" in s.statement for s in signatures)
    change = StageChange.objects.get(agreement=agreement, action=Action.SIGN)
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.IN_SIGN_OFF,
        Stage.SIGNED,
        admin_user,
    )
    assert Notification.objects.filter(
        user=lancashire_coordinator, subject__endswith="agreement signed"
    ).exists()


def test_each_signature_records_who_what_and_for_whom(in_sign_off, police_user, negotiator):
    agreement = in_sign_off
    signature = sign(
        agreement,
        police_user,
        StepKind.PARTNERS,
        _police(agreement),
        signatory_name="Chief Constable Ada Lovelace",
        signatory_role="Chief Constable",
    )
    assert signature.organisation == _police(agreement)
    assert signature.recorded_by == police_user
    assert (signature.signatory_name, signature.signatory_role) == (
        "Chief Constable Ada Lovelace",
        "Chief Constable",
    )
    assert signature.signed_on == timezone.localdate()
    assert "Lancashire Constabulary (test)" in signature.statement
    # The police lead NI 117, so it is committed to as lead, with its label as signed.
    (ni117,) = [c for c in signature.commitments if c["key"] == "NI 117"]
    assert ni117["as"] == "lead" and ni117["kind"] == "target"
    assert ni117["label"].startswith("NI 117: ")


def test_a_partner_commits_to_every_target_it_leads(in_sign_off, police_user):
    agreement = in_sign_off
    with pytest.raises(ServiceError, match="leads NI 117"):
        sign(agreement, police_user, StepKind.PARTNERS, _police(agreement), targets=[])
    with pytest.raises(ServiceError, match="not in the version"):
        sign(
            agreement,
            police_user,
            StepKind.PARTNERS,
            _police(agreement),
            targets=["NI 117", "NI 999"],
        )
    # It may also commit to support a target it does not lead.
    signature = sign(
        agreement, police_user, StepKind.PARTNERS, _police(agreement), targets=["NI 117", "NI 56"]
    )
    assert {(c["key"], c["as"]) for c in signature.commitments} == {
        ("NI 117", "lead"),
        ("NI 56", "supporting"),
    }


def test_a_partner_signs_only_for_its_own_organisation(in_sign_off, police_user, partner, official):
    agreement = in_sign_off
    for user in (police_user, partner, official):
        with pytest.raises(PermissionDenied):
            sign(agreement, user, StepKind.PARTNERS, _pct(agreement))
    assert not Signature.objects.filter(sign_off__agreement=agreement).exists()


def test_steps_check_their_own_facts(in_sign_off, lancashire_coordinator, negotiator, admin_user):
    agreement = in_sign_off
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _police(agreement))
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _pct(agreement))
    with pytest.raises(ServiceError, match="meeting"):
        sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement), meeting="")
    council = sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    assert council.details == {"meeting": "Full council, 26 June 2008", "minute": ""}
    with pytest.raises(ServiceError, match="voluntary and community sector"):
        sign(
            agreement,
            negotiator,
            StepKind.GO,
            agreement.area.government_office,
            vcs_confirmed=False,
        )
    with pytest.raises(ServiceError, match="Regional Director's name"):
        sign(
            agreement,
            negotiator,
            StepKind.GO,
            agreement.area.government_office,
            regional_director="",
        )
    go = sign(agreement, negotiator, StepKind.GO, agreement.area.government_office)
    assert go.details == {"regional_director": "Rita Director", "vcs_confirmed": True}
    with pytest.raises(ServiceError, match="future"):
        sign(
            agreement,
            admin_user,
            StepKind.MINISTER,
            national_team(),
            signed_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ServiceError, match="signatory's name"):
        sign(agreement, admin_user, StepKind.MINISTER, national_team(), signatory_name=" ")


def test_a_stale_version_number_is_refused(in_sign_off, police_user):
    agreement = in_sign_off
    run = run_of(agreement)
    from tests.signoff.conftest import fields

    with pytest.raises(ServiceError, match=f"version {run.version.number}, not version"):
        from signoff.services import signature_record

        signature_record(
            agreement=agreement,
            actor=police_user,
            step=StepKind.PARTNERS,
            organisation=_police(agreement),
            version_number=run.version.number - 1,
            fields=fields(targets=["NI 117"]),
        )


def test_content_is_locked_in_sign_off(in_sign_off, lancashire_coordinator, negotiator):
    agreement = in_sign_off
    target = agreement.targets.get(indicator__code="NI 56")
    with pytest.raises(ServiceError, match="locked"):
        agreement_services.agreement_update_narrative(
            agreement=agreement,
            actor=lancashire_coordinator,
            expected_version=agreement.version,
            story_of_place="Changed at the last minute",
            governance="",
        )
    before = target.status
    new = "refused" if before != "refused" else "agreed"
    with pytest.raises(ServiceError, match="locked"):
        negotiation.item_status_set(
            item=target, actor=negotiator, expected_version=target.version, status=new
        )
    target.refresh_from_db()
    assert target.status == before


def test_a_change_after_the_first_signature_voids_all_signatures(
    in_sign_off, police_user, lancashire_coordinator
):
    agreement = in_sign_off
    run = run_of(agreement)
    sign(agreement, police_user, StepKind.PARTNERS, _police(agreement))
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _pct(agreement))
    negotiation.agreement_transition(
        agreement=agreement,
        actor=lancashire_coordinator,
        action=Action.WITHDRAW_FROM_SIGN_OFF,
        expected_stage=Stage.IN_SIGN_OFF,
        comment="The PCT's figures for NI 120 were wrong.",
    )
    agreement.refresh_from_db()
    run.refresh_from_db()
    assert agreement.stage == Stage.RETURNED
    assert run.state == SignOff.State.VOID
    assert run.void_reason == "The PCT's figures for NI 120 were wrong."
    assert run.signatures.count() == 2
    assert not run.signatures.filter(voided_at__isnull=True).exists()
    notice = Notification.objects.get(user=police_user, subject__endswith="signatures void")
    assert "2 signatures already made are void" in notice.body
    # The content can now change; the next sign-off starts afresh on a new version.
    target = agreement.targets.get(indicator__code="NI 120")
    agreement_services.target_update(
        target=target,
        actor=lancashire_coordinator,
        expected_version=target.version,
        fields=agreement_services.TargetFields(
            indicator=target.indicator,
            baseline_value=Decimal("700"),
            baseline_year="2007/08",
            yearly_values=(Decimal("690"), Decimal("680"), Decimal("670")),
            lead_partner=target.lead_partner,
        ),
        reason="Corrected figures",
    )
    target.refresh_from_db()
    assert target.yearly_values == ["690", "680", "670"]
    # The frozen version is untouched; the void run keeps its record of who signed it.
    assert run.version.content != snapshot(agreement)
    steps = chain(run)
    assert [s.signature.signatory_name for s in steps[0].signatories] == ["Sam Signer"] * 2


def test_a_change_found_at_signing_voids_everything_and_says_so(
    in_sign_off, police_user, lancashire_coordinator
):
    agreement = in_sign_off
    run = run_of(agreement)
    sign(agreement, police_user, StepKind.PARTNERS, _police(agreement))
    # A change that went round the lock (for example through the data administration site).
    agreement.targets.filter(indicator__code="NI 56").update(yearly_values=["1", "2", "3"])
    with pytest.raises(ServiceError, match="changed after sign-off started"):
        sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _pct(agreement))
    agreement.refresh_from_db()
    run.refresh_from_db()
    assert agreement.stage == Stage.RETURNED
    assert run.state == SignOff.State.VOID
    assert not Signature.objects.filter(sign_off=run, voided_at__isnull=True).exists()
    assert StageChange.objects.filter(
        agreement=agreement, action=Action.WITHDRAW_FROM_SIGN_OFF, to_stage=Stage.RETURNED
    ).exists()


def test_signing_again_after_a_withdrawal_uses_a_new_version(
    in_sign_off, police_user, lancashire_coordinator, negotiator, admin_user
):
    agreement = in_sign_off
    first = run_of(agreement)
    sign(agreement, police_user, StepKind.PARTNERS, _police(agreement))
    negotiation.agreement_transition(
        agreement=agreement,
        actor=negotiator,
        action=Action.WITHDRAW_FROM_SIGN_OFF,
        expected_stage=Stage.IN_SIGN_OFF,
        comment="One more change to the story of place.",
    )
    agreement.refresh_from_db()
    agreement_services.agreement_update_narrative(
        agreement=agreement,
        actor=lancashire_coordinator,
        expected_version=agreement.version,
        story_of_place="Lancashire's partnership, with the evidence behind each priority.",
        governance=agreement.governance,
    )
    for action, actor, stage in (
        (Action.SUBMIT, lancashire_coordinator, Stage.RETURNED),
        (Action.START_REVIEW, negotiator, Stage.SUBMITTED),
        (Action.AGREE_IN_PRINCIPLE, negotiator, Stage.IN_REVIEW),
        (Action.START_SIGN_OFF, negotiator, Stage.AGREED_IN_PRINCIPLE),
    ):
        negotiation.agreement_transition(
            agreement=agreement, actor=actor, action=action, expected_stage=stage, comment="OK"
        )
    agreement.refresh_from_db()
    second = run_of(agreement)
    assert second.version.number > first.version.number
    sign_everything(
        agreement, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    agreement.refresh_from_db()
    assert agreement.signed_version == second.version
    assert "evidence behind each priority" in agreement.signed_version.content["story_of_place"]
    assert first.signatures.get().voided_at is not None


def test_the_timeline_lists_signatures_and_marks_void_ones(
    in_sign_off, police_user, lancashire_coordinator
):
    from negotiations.activity import timeline

    agreement = in_sign_off
    sign(agreement, police_user, StepKind.PARTNERS, _police(agreement))
    texts = [e.text for e in timeline(lancashire_coordinator, agreement)]
    assert any(
        t.startswith("Partners sign off: Sam Signer for Lancashire Constabulary") for t in texts
    )
    negotiation.agreement_transition(
        agreement=agreement,
        actor=lancashire_coordinator,
        action=Action.WITHDRAW_FROM_SIGN_OFF,
        expected_stage=Stage.IN_SIGN_OFF,
        comment="A change is needed.",
    )
    texts = [e.text for e in timeline(lancashire_coordinator, agreement)]
    assert any("Lancashire Constabulary (test), version" in t and "(now void)" in t for t in texts)
    assert any(t.startswith("Take back from sign-off to change it: now returned") for t in texts)


def test_partners_are_fixed_while_in_sign_off(in_sign_off, lancashire_coordinator):
    from partners.services import partner_add

    with pytest.raises(ServiceError, match="cannot be added while the agreement is in sign-off"):
        partner_add(
            agreement=in_sign_off,
            actor=lancashire_coordinator,
            name="Lancashire Fire and Rescue",
            partner_type="fire",
        )
    assert not in_sign_off.area.partnerships.filter(
        organisation__name="Lancashire Fire and Rescue"
    ).exists()


def test_the_signed_record_stays_whatever_happens_to_the_partners(
    in_sign_off, lancashire_coordinator, negotiator, admin_user
):
    agreement = in_sign_off
    sign_everything(
        agreement, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    run = agreement.sign_offs.get()
    agreement.area.partnerships.filter(organisation__name=PARTNERS[1]).delete()
    steps = chain(run)
    assert [s.organisation.name for s in steps[0].signatories] == list(PARTNERS)
    assert sum(len(step.signatories) for step in steps) == 5


def test_sign_off_needs_someone_to_sign_each_step(agreed, negotiator, admin_user):
    from signoff.services import round_chains_set

    round_chains_set(round=agreed.round, actor=admin_user, signing=["minister"], refresh=["go"])
    Organisation = national_team().__class__
    Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_TEAM).update(kind="department")
    with pytest.raises(ServiceError, match="no one can sign for the Minister's signature"):
        negotiation.agreement_transition(
            agreement=agreed,
            actor=negotiator,
            action=Action.START_SIGN_OFF,
            expected_stage=Stage.AGREED_IN_PRINCIPLE,
        )
    agreed.refresh_from_db()
    assert agreed.stage == Stage.AGREED_IN_PRINCIPLE
    assert not agreed.sign_offs.exists()


def test_correcting_an_indicator_title_does_not_void_the_signatures(
    in_sign_off, police_user, lancashire_coordinator
):
    from indicators.models import Indicator

    agreement = in_sign_off
    sign(agreement, police_user, StepKind.PARTNERS, _police(agreement))
    Indicator.objects.filter(code="NI 56").update(title="Obesity among Year 6 children")
    sign(agreement, lancashire_coordinator, StepKind.PARTNERS, _pct(agreement))
    agreement.refresh_from_db()
    assert agreement.stage == Stage.IN_SIGN_OFF
    assert run_of(agreement).signatures.filter(voided_at__isnull=True).count() == 2
