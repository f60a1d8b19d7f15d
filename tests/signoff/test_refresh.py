"""Refresh: a signed agreement is amended with a reason per change and signed again."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from agreements import services as agreement_services
from agreements.stages import Action, Stage
from core.errors import ServiceError
from negotiations import services as negotiation
from negotiations.amendments import working_changes
from negotiations.compare import compare
from negotiations.workflow import available_actions
from portal.demo import finish_review
from signoff import services
from signoff.forms import AmendmentReasonsForm
from signoff.models import SignOff, StepKind
from tests.signoff.conftest import council_of, national_team, sign, sign_everything


@pytest.fixture
def signed(in_sign_off, lancashire_coordinator, negotiator, admin_user):
    sign_everything(
        in_sign_off, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    in_sign_off.refresh_from_db()
    return in_sign_off


def _move(agreement, actor, action, stage, comment="OK"):
    negotiation.agreement_transition(
        agreement=agreement, actor=actor, action=action, expected_stage=stage, comment=comment
    )
    agreement.refresh_from_db()


def test_an_amendment_waits_for_the_national_team_to_open_a_refresh(
    signed, lancashire_coordinator, admin_user
):
    # The demo's refresh (Bolton's amendment) is closed again for this test.
    services.round_refresh_close(round=signed.round, actor=admin_user)
    signed.round.refresh_from_db()
    (blocked,) = available_actions(lancashire_coordinator, signed)
    assert blocked.action == "start_amendment"
    assert "not opened a refresh" in blocked.blocked_reason
    with pytest.raises(ServiceError, match="not opened a refresh"):
        _move(signed, lancashire_coordinator, Action.START_AMENDMENT, Stage.SIGNED)
    with pytest.raises(PermissionDenied):
        services.round_refresh_open(round=signed.round, actor=lancashire_coordinator)
    services.round_refresh_open(round=signed.round, actor=admin_user)
    signed.round.refresh_from_db()
    _move(signed, lancashire_coordinator, Action.START_AMENDMENT, Stage.SIGNED, "Baselines in")
    assert signed.stage == Stage.DRAFTING


def test_an_amendment_needs_a_reason_per_change_and_is_signed_again(
    signed, lancashire_coordinator, negotiator, admin_user
):
    first_signed = signed.signed_version
    services.round_refresh_open(round=signed.round, actor=admin_user)
    signed.round.refresh_from_db()
    _move(signed, lancashire_coordinator, Action.START_AMENDMENT, Stage.SIGNED, "Refresh 2009")
    agreement = signed
    # Nothing changed yet: nothing to submit.
    with pytest.raises(ServiceError, match="Nothing has changed"):
        _move(agreement, lancashire_coordinator, Action.SUBMIT, Stage.DRAFTING)
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
    (item,) = working_changes(agreement)
    assert (item.key, item.change) == ("target:NI 120", "Changed")
    with pytest.raises(ServiceError, match="1 change since the signed version needs a reason"):
        _move(agreement, lancashire_coordinator, Action.SUBMIT, Stage.DRAFTING)
    negotiation.amendment_reasons_save(
        agreement=agreement,
        actor=lancashire_coordinator,
        reasons={"target:NI 120": "2008/09 outturn beat the trajectory.", "target:NI 1": "x"},
    )
    _move(agreement, lancashire_coordinator, Action.SUBMIT, Stage.DRAFTING)
    submitted = agreement.versions.order_by("-number").first()
    assert submitted.content["amendment"] == {
        "amends_version": first_signed.number,
        "changes": [
            {
                "key": "target:NI 120",
                "label": "NI 120: " + target.indicator.title,
                "change": "Changed",
                "reason": "2008/09 outturn beat the trajectory.",
            }
        ],
    }
    # The signed version stays the published one while the amendment is negotiated.
    agreement.refresh_from_db()
    assert agreement.signed_version == first_signed
    _move(agreement, negotiator, Action.START_REVIEW, Stage.SUBMITTED)
    # The changed target is no longer agreed: the GO agrees it again before agreeing the
    # amendment in principle.
    assert agreement.targets.get(indicator__code="NI 120").status == "proposed"
    with pytest.raises(ServiceError, match="NI 120"):
        _move(agreement, negotiator, Action.AGREE_IN_PRINCIPLE, Stage.IN_REVIEW)
    finish_review(agreement, negotiator)
    _move(agreement, negotiator, Action.AGREE_IN_PRINCIPLE, Stage.IN_REVIEW)
    _move(agreement, negotiator, Action.START_SIGN_OFF, Stage.AGREED_IN_PRINCIPLE)
    run = agreement.sign_offs.get(state=SignOff.State.OPEN)
    assert run.purpose == SignOff.Purpose.AMENDMENT
    assert run.steps == ["council", "go", "minister"]  # the shorter refresh chain
    sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    sign(agreement, negotiator, StepKind.GO, agreement.area.government_office)
    sign(agreement, admin_user, StepKind.MINISTER, national_team())
    agreement.refresh_from_db()
    assert agreement.stage == Stage.SIGNED
    assert agreement.signed_version == run.version
    assert agreement.signed_version.number > first_signed.number
    # Compare shows the signed version against the amendment.
    comparison = compare(first_signed.content, agreement.signed_version.content)
    (changed,) = comparison.targets_changed
    assert changed.code == "NI 120"
    assert [(y.old, y.new) for y in changed.years if y.changed] == [("690", "685"), ("680", "660")]


def test_round_chains_are_checked(admin_user, round_2008):
    with pytest.raises(ServiceError, match="at least one step"):
        services.round_chains_set(round=round_2008, actor=admin_user, signing=[], refresh=["go"])
    with pytest.raises(ServiceError, match="once"):
        services.round_chains_set(
            round=round_2008, actor=admin_user, signing=["go", "go"], refresh=["go"]
        )
    services.round_chains_set(
        round=round_2008, actor=admin_user, signing=["council", "go"], refresh=["minister"]
    )
    round_2008.refresh_from_db()
    assert round_2008.signing_steps == ["council", "go"]


def test_compare_shows_the_signed_version_against_the_amendment(
    client, signed, lancashire_coordinator, admin_user
):
    from negotiations.models import Version

    services.round_refresh_open(round=signed.round, actor=admin_user)
    signed.round.refresh_from_db()
    _move(signed, lancashire_coordinator, Action.START_AMENDMENT, Stage.SIGNED, "Refresh")
    target = signed.targets.get(indicator__code="NI 56")
    agreement_services.target_update(
        target=target,
        actor=lancashire_coordinator,
        expected_version=target.version,
        fields=agreement_services.TargetFields(
            indicator=target.indicator,
            baseline_value=Decimal("9.9"),
            baseline_year="2008/09",
            yearly_values=tuple(Decimal(v) for v in target.yearly_values),
            lead_partner=target.lead_partner,
        ),
        reason="Baseline arrived",
    )
    client.force_login(lancashire_coordinator)
    url = "/agreements/2008-11/lancashire/amendment/"
    page = client.get(url).content.decode()
    assert "Changed: NI 56" in page
    field = AmendmentReasonsForm.field_name("target:NI 56")
    # A reason posted for a change that is not (or no longer) in the list is ignored.
    stale = AmendmentReasonsForm.field_name("section:story_of_place")
    response = client.post(
        url, {field: "The 2008/09 measurement replaced the estimate.", stale: "Wrong place"}
    )
    assert response.status_code == 302
    from negotiations.amendments import reasons_for

    assert reasons_for(signed) == {"target:NI 56": "The 2008/09 measurement replaced the estimate."}
    _move(signed, lancashire_coordinator, Action.SUBMIT, Stage.DRAFTING)
    latest = Version.objects.filter(agreement=signed).order_by("-number").first()
    page = client.get(
        f"/agreements/2008-11/lancashire/versions/compare/"
        f"?from={signed.signed_version.number}&to={latest.number}"
    ).content.decode()
    assert f"Version {signed.signed_version.number} (signed)" in page
    assert "The 2008/09 measurement replaced the estimate." in page
    assert "9.9" in page
