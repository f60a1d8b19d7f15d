"""What the GO agreed stays what was agreed: a settled item whose content changes goes back
to Proposed; a status is set on the item as the GO saw it; "agree all remaining items"
leaves refused items to the GO; a superseded referral is withdrawn as any other is."""

from decimal import Decimal

import pytest

from agreements import services as agreement_services
from agreements.models import AgreementFundingStream, NegotiationStatus, Target
from agreements.stages import Action, Stage
from core.errors import ConflictError
from core.people import department_people
from negotiations import readiness, services
from negotiations.models import Version
from notifications.models import Notification
from tests.agreements.conftest import designated_fields

LANCS = "/agreements/2008-11/lancashire/negotiation/"


def agreed(item):
    type(item).objects.filter(pk=item.pk).update(status=NegotiationStatus.AGREED)
    item.refresh_from_db()
    return item


# --- A settled item that changes goes back to Proposed --------------------------------------


@pytest.fixture
def agreed_target(agreement, coordinator):
    target = agreement.targets.get(indicator__code="NI 120")
    target = agreement_services.target_update(
        target=target,
        actor=coordinator,
        expected_version=target.version,
        fields=designated_fields("NI 120"),
        reason="Figures as negotiated",
    )
    return agreed(target)


def test_an_agreed_target_saved_unchanged_stays_agreed(agreed_target, coordinator):
    target = agreement_services.target_update(
        target=agreed_target,
        actor=coordinator,
        expected_version=agreed_target.version,
        fields=designated_fields("NI 120"),
        reason="Saved again",
    )
    assert Target.objects.get(pk=target.pk).status == NegotiationStatus.AGREED


def test_an_agreed_target_edited_goes_back_to_proposed(agreed_target, coordinator):
    fields = designated_fields("NI 120", yearly_values=(Decimal(11), Decimal(12), Decimal(14)))
    target = agreement_services.target_update(
        target=agreed_target,
        actor=coordinator,
        expected_version=agreed_target.version,
        fields=fields,
        reason="New ONS figures",
    )
    target = Target.objects.get(pk=target.pk)
    assert target.status == NegotiationStatus.PROPOSED
    assert target.history.first().history_change_reason == (
        "Back to proposed from agreed: New ONS figures"
    )


def test_an_agreed_target_whose_partners_change_goes_back_to_proposed(
    agreed_target, coordinator, locality
):
    agreement_services.target_update(
        target=agreed_target,
        actor=coordinator,
        expected_version=agreed_target.version,
        fields=designated_fields("NI 120", contributing_partners=(locality,)),
        reason="The council contributes",
    )
    assert Target.objects.get(pk=agreed_target.pk).status == NegotiationStatus.PROPOSED


def test_an_agreed_funding_entry_goes_back_to_proposed_only_when_it_changes(
    agreement, coordinator, locality
):
    entry = agreement.funding.get()

    def save(amount):
        current = AgreementFundingStream.objects.get(pk=entry.pk)
        return agreement_services.funding_update(
            entry=current,
            actor=coordinator,
            expected_version=current.version,
            fields=agreement_services.FundingFields(
                provider=locality, arrangement="aligned", yearly_amounts=(amount, None, None)
            ),
            reason="Budget set",
        )

    agreed(save(Decimal(1000)))
    save(Decimal(1000))
    assert AgreementFundingStream.objects.get(pk=entry.pk).status == NegotiationStatus.AGREED
    save(Decimal(1200))
    entry.refresh_from_db()
    assert entry.status == NegotiationStatus.PROPOSED
    assert entry.history.first().history_change_reason == (
        "Back to proposed from agreed: Budget set"
    )


# --- The GO's status change is checked against the item it saw --------------------------------


def test_a_status_set_on_a_stale_item_is_refused(lancashire, negotiator):
    target = lancashire.targets.get(indicator__code="NI 117")
    with pytest.raises(ConflictError):
        services.item_status_set(
            item=target, actor=negotiator, expected_version=target.version - 1, status="agreed"
        )
    assert Target.objects.get(pk=target.pk).status == NegotiationStatus.PROPOSED


def test_the_status_page_shows_the_conflict(client, lancashire, negotiator):
    target = lancashire.targets.get(indicator__code="NI 117")
    # The locality changed the target since the GO's page was drawn.
    Target.objects.filter(pk=target.pk).update(version=target.version + 1)
    client.force_login(negotiator)
    response = client.post(
        f"{LANCS}status/target/{target.pk}/", {"status": "agreed", "version": target.version}
    )
    assert response.status_code == 409
    assert "Your changes have not been saved" in response.content.decode()
    rows = {label: (yours, saved) for label, yours, saved in response.context["rows"]}
    assert rows["Status"] == ("Agreed", "Proposed")
    assert Target.objects.get(pk=target.pk).status == NegotiationStatus.PROPOSED


def test_a_long_caveat_is_reported_as_such(client, lancashire, negotiator):
    target = lancashire.targets.get(indicator__code="NI 117")
    client.force_login(negotiator)
    response = client.post(
        f"{LANCS}status/target/{target.pk}/",
        {"status": "agreed_caveat", "caveat": "x" * 5001, "version": target.version},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f'href="#caveat-target-{target.pk}"' in page
    assert "The caveat must be 5000 characters or fewer" in page
    assert "Choose a status" not in page
    assert Target.objects.get(pk=target.pk).status == NegotiationStatus.PROPOSED


# --- Agree all remaining items leaves refused items to the GO -------------------------------


def test_agree_all_leaves_refused_items_and_agreement_in_principle_waits(
    client, lancashire, negotiator
):
    refused = lancashire.targets.get(indicator__code="NI 117")
    services.item_status_set(
        item=refused, actor=negotiator, expected_version=refused.version, status="refused"
    )
    client.force_login(negotiator)
    page = client.get(f"{LANCS}agree-remaining/")
    assert "NI 117" not in [item.label for item in page.context["items"]]
    assert [item.label for item in page.context["refused"]] == ["NI 117"]
    assert "A refused item is not agreed with the rest" in page.content.decode()
    seen = page.context["form"]["seen"].value()
    assert client.post(f"{LANCS}agree-remaining/", {"seen": seen}).status_code == 302
    assert Target.objects.get(pk=refused.pk).status == NegotiationStatus.REFUSED
    challenged = lancashire.targets.get(indicator__code="NI 56")
    assert challenged.status == NegotiationStatus.AGREED  # the GO decided, in one step
    assert readiness.items_problem(lancashire) == (
        "1 item is refused: NI 117. Withdraw it, or agree it one at a time."
    )


# --- A superseded referral is withdrawn as any other ----------------------------------------


def test_a_superseded_referral_tells_the_department(manchester, negotiator):
    services.agreement_transition(
        agreement=manchester,
        actor=negotiator,
        action=Action.RESUME_REVIEW,
        expected_stage=Stage.REFERRED,
    )
    first = list(manchester.referrals.select_related("department"))
    latest = manchester.versions.order_by("-number").first()
    Version.objects.create(agreement=manchester, number=latest.number + 1, content={})
    services.agreement_transition(
        agreement=manchester, actor=negotiator, action=Action.REFER, expected_stage="in_review"
    )
    told = Notification.objects.filter(
        subject=f"{manchester.area}'s Government Office has withdrawn its referral"
    )
    expected = department_people([referral.department for referral in first])
    assert expected
    assert {n.user_id for n in told} == {user.pk for user in expected}
    for referral in first:
        referral.refresh_from_db()
        assert referral.withdrawn_by == negotiator
