"""The reason typed with a change made during an amendment is that change's amendment
reason: shown on the amendment page, editable there, and counted when submitting."""

import pytest

from agreements.stages import Action, Stage
from negotiations import services as negotiation
from negotiations.amendments import amendment_problems, reasons_for
from signoff import services
from signoff.forms import AmendmentReasonsForm
from tests.signoff.conftest import sign_everything

AMENDMENT = "/agreements/2008-11/lancashire/amendment/"


@pytest.fixture
def amending(in_sign_off, lancashire_coordinator, negotiator, admin_user):
    sign_everything(
        in_sign_off, coordinator=lancashire_coordinator, negotiator=negotiator, admin=admin_user
    )
    in_sign_off.refresh_from_db()
    services.round_refresh_open(round=in_sign_off.round, actor=admin_user)
    negotiation.agreement_transition(
        agreement=in_sign_off,
        actor=lancashire_coordinator,
        action=Action.START_AMENDMENT,
        expected_stage=Stage.SIGNED,
        comment="Refresh 2009",
    )
    in_sign_off.refresh_from_db()
    return in_sign_off


def test_a_target_removed_with_a_reason_needs_no_second_reason(
    client, amending, lancashire_coordinator
):
    target = amending.targets.get(indicator__code="NI 56")
    client.force_login(lancashire_coordinator)
    response = client.post(
        f"/agreements/2008-11/lancashire/targets/{target.pk}/remove/",
        {"version": target.version, "reason": "Data no longer collected"},
    )
    assert response.status_code == 302
    assert reasons_for(amending) == {"target:NI 56": "Data no longer collected"}
    assert amendment_problems(amending) == ""
    page = client.get(AMENDMENT)
    field = AmendmentReasonsForm.field_name("target:NI 56")
    assert page.context["form"][field].value() == "Data no longer collected"
    assert "Data no longer collected" in page.content.decode()
    response = client.post(AMENDMENT, {field: "DH stopped collecting the data in 2009"})
    assert response.status_code == 302
    assert reasons_for(amending) == {"target:NI 56": "DH stopped collecting the data in 2009"}
    negotiation.agreement_transition(
        agreement=amending,
        actor=lancashire_coordinator,
        action=Action.SUBMIT,
        expected_stage=Stage.DRAFTING,
    )
    amending.refresh_from_db()
    assert amending.stage == Stage.SUBMITTED


def test_a_second_reason_for_the_same_change_is_added_to_the_first(
    amending, lancashire_coordinator
):
    from agreements import services as agreement_services

    for story, reason in (("First", "New evidence"), ("Second", "Partners' comments")):
        amending.refresh_from_db()
        agreement_services.agreement_update_narrative(
            agreement=amending,
            actor=lancashire_coordinator,
            expected_version=amending.version,
            story_of_place=story,
            governance=amending.governance,
            reason=reason,
        )
    assert reasons_for(amending) == {"section:story_of_place": "New evidence; Partners' comments"}


def test_reasons_are_not_recorded_for_a_first_draft(fresh_agreement, coordinator2):
    from agreements import services as agreement_services

    agreement_services.agreement_update_narrative(
        agreement=fresh_agreement,
        actor=coordinator2,
        expected_version=fresh_agreement.version,
        story_of_place="Leeds",
        governance="",
        reason="First words",
    )
    assert not fresh_agreement.amendment_reasons.exists()
