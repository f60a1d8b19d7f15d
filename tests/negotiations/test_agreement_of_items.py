"""The agreement as signed is complete and true: agreement in principle waits for every item,
referral, checklist criterion and request to be settled; the GO agrees what remains in one
confirmed step; referrals are withdrawn with a reason; only the raiser closes a challenge;
a removed target's comments keep what they were about."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import NegotiationStatus, Target
from agreements.stages import Action, Stage
from core.errors import ServiceError
from freedoms.models import FreedomRequest
from negotiations import readiness, services
from negotiations.models import Comment, Referral, ReviewRating, Version
from tests.negotiations.conftest import resolve_all, set_stage

LANCS = "/agreements/2008-11/lancashire/negotiation/"
MANC = "/agreements/2008-11/manchester/negotiation/"


def rate_checklist(agreement, negotiator):
    services.review_checklist_save(
        agreement=agreement,
        actor=negotiator,
        entries=dict.fromkeys(ReviewRating.Criterion.values, ("adequate", "")),
        seen=services.review_checklist_seen(agreement),
    )


def agree_remaining(agreement, negotiator):
    return services.items_agree_remaining(
        agreement=agreement,
        actor=negotiator,
        seen=readiness.fingerprint(
            readiness.items_not_final(agreement), readiness.requests_not_settled(agreement)
        ),
    )


def agree_in_principle(agreement, negotiator, stage=Stage.IN_REVIEW):
    return services.agreement_transition(
        agreement=agreement,
        actor=negotiator,
        action=Action.AGREE_IN_PRINCIPLE,
        expected_stage=stage,
        comment="Agreed at the meeting.",
    )


def blocked_reason(client, url) -> str:
    page = client.get(url)
    (action,) = [a for a in page.context["actions"] if a.action == "agree_in_principle"]
    return action.blocked_reason


# --- Agreement in principle waits for everything -----------------------------------------


def test_agreement_in_principle_waits_for_items_still_proposed(client, lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    rate_checklist(lancashire, negotiator)
    client.force_login(negotiator)
    reason = blocked_reason(client, LANCS)
    assert "3 items are still proposed or challenged: NI 56, NI 117, NI 120." in reason
    # Statutory education targets are agreed separately with DCSF: never listed.
    statutory = lancashire.targets.filter(kind=Target.Kind.STATUTORY)
    assert statutory.exists()
    assert all(t.indicator.code not in reason for t in statutory)
    response = client.post(
        f"{LANCS}move/",
        {"action": "agree_in_principle", "expected_stage": "in_review", "comment": "Yes"},
        follow=True,
    )
    assert "3 items are still proposed or challenged" in response.content.decode()
    lancashire.refresh_from_db()
    assert lancashire.stage == Stage.IN_REVIEW


def test_agreement_in_principle_waits_for_the_checklist(client, lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    agree_remaining(lancashire, negotiator)
    client.force_login(negotiator)
    assert blocked_reason(client, LANCS) == (
        "The review checklist has 6 criteria not rated: Focus, Ambition, Rationale and "
        "evidence, Difference made, Clarity of governance, performance management and "
        "funding, Inclusivity."
    )
    with pytest.raises(ServiceError, match="6 criteria not rated"):
        agree_in_principle(lancashire, negotiator)


def test_a_round_may_not_require_the_checklist(client, lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    agree_remaining(lancashire, negotiator)
    type(lancashire.round).objects.filter(pk=lancashire.round_id).update(
        review_required_before_aip=False
    )
    lancashire.refresh_from_db()
    client.force_login(negotiator)
    assert blocked_reason(client, LANCS) == ""
    agree_in_principle(lancashire, negotiator)
    lancashire.refresh_from_db()
    assert lancashire.stage == Stage.AGREED_IN_PRINCIPLE


def test_agreement_in_principle_waits_for_unanswered_referrals(client, manchester, negotiator):
    rate_checklist(manchester, negotiator)
    agree_remaining(manchester, negotiator)
    client.force_login(negotiator)
    assert blocked_reason(client, MANC) == "2 referrals are not answered or withdrawn: DCSF, DH."
    with pytest.raises(ServiceError, match="2 referrals are not answered or withdrawn"):
        agree_in_principle(manchester, negotiator, Stage.REFERRED)
    for referral in manchester.referrals.all():
        services.referral_withdraw(referral=referral, actor=negotiator, reason="Agreed by phone.")
    agree_in_principle(manchester, negotiator, Stage.REFERRED)
    manchester.refresh_from_db()
    assert manchester.stage == Stage.AGREED_IN_PRINCIPLE


def test_an_open_request_waits_unless_carried_to_the_refresh(lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    rate_checklist(lancashire, negotiator)
    Target.objects.filter(agreement=lancashire).update(status=NegotiationStatus.AGREED)
    lancashire.funding.update(status=NegotiationStatus.AGREED)
    with pytest.raises(ServiceError, match="1 freedoms request is neither answered"):
        agree_in_principle(lancashire, negotiator)
    agree_remaining(lancashire, negotiator)
    assert agree_in_principle(lancashire, negotiator) is not None


def test_sign_off_still_waits_for_the_items(lancashire, negotiator):
    resolve_all(lancashire, negotiator)
    agreement = set_stage(lancashire, Stage.AGREED_IN_PRINCIPLE)
    with pytest.raises(ServiceError, match="3 items are still proposed or challenged"):
        services.agreement_transition(
            agreement=agreement,
            actor=negotiator,
            action=Action.START_SIGN_OFF,
            expected_stage=Stage.AGREED_IN_PRINCIPLE,
        )


# --- Agree all remaining items -------------------------------------------------------------


def test_agree_all_lists_the_items_and_agrees_them(client, lancashire, negotiator):
    request = FreedomRequest.objects.get(agreement=lancashire, title__startswith="Lift")
    already = lancashire.targets.get(indicator__code="NI 120")
    services.item_status_set(
        item=already, actor=negotiator, expected_version=already.version, status="withdrawn"
    )
    versions = {t.pk: t.version for t in lancashire.targets.all()}
    client.force_login(negotiator)
    assert "Agree all remaining items" in client.get(LANCS).content.decode()
    page = client.get(f"{LANCS}agree-remaining/")
    assert page.status_code == 200
    listed = [item.label for item in page.context["items"]]
    assert listed == ["NI 56", "NI 117"]  # not the withdrawn NI 120, nor statutory targets
    assert [r.pk for r in page.context["requests"]] == [request.pk]
    seen = page.context["form"]["seen"].value()
    response = client.post(f"{LANCS}agree-remaining/", {"seen": seen})
    assert response.status_code == 302
    for code in ("NI 56", "NI 117"):
        target = lancashire.targets.get(indicator__code=code)
        assert target.status == NegotiationStatus.AGREED
        assert target.version == versions[target.pk] + 1
        assert target.history.first().history_change_reason == (
            "Agreed with the remaining items by Nadia Negotiator"
        )
    assert lancashire.targets.get(pk=already.pk).status == NegotiationStatus.WITHDRAWN
    request.refresh_from_db()
    assert request.deferred_to_refresh_at is not None
    assert readiness.items_not_final(lancashire) == []


def test_a_stale_confirmation_agrees_nothing(client, lancashire, negotiator):
    client.force_login(negotiator)
    seen = client.get(f"{LANCS}agree-remaining/").context["form"]["seen"].value()
    # Meanwhile a colleague sets one item's status.
    target = lancashire.targets.get(indicator__code="NI 117")
    services.item_status_set(
        item=target, actor=negotiator, expected_version=target.version, status="to_be_agreed"
    )
    response = client.post(f"{LANCS}agree-remaining/", {"seen": seen})
    assert response.status_code == 409
    body = response.content.decode()
    assert "govuk-error-summary" in body and "nothing has been agreed" in body
    assert not lancashire.targets.filter(status=NegotiationStatus.AGREED).exists()
    assert not FreedomRequest.objects.filter(
        agreement=lancashire, deferred_to_refresh_at__isnull=False
    ).exists()
    # The page drawn again carries the new stamp, and confirming it works.
    response = client.post(
        f"{LANCS}agree-remaining/", {"seen": response.context["form"]["seen"].value()}
    )
    assert response.status_code == 302
    assert not readiness.items_not_final(lancashire)


def test_only_the_areas_go_agrees_the_remaining_items(client, lancashire, lancashire_coordinator):
    client.force_login(lancashire_coordinator)
    assert client.get(f"{LANCS}agree-remaining/").status_code == 404
    assert client.post(f"{LANCS}agree-remaining/", {"seen": "x"}).status_code == 404
    assert "Agree all remaining items" not in client.get(LANCS).content.decode()


def test_agreed_with_caveat_needs_the_caveat(client, lancashire, negotiator):
    target = lancashire.targets.get(indicator__code="NI 117")
    url = f"{LANCS}status/target/{target.pk}/"
    client.force_login(negotiator)
    response = client.post(
        url, {"status": "agreed_caveat", "caveat": "", "version": target.version}
    )
    assert response.status_code == 400
    assert "Give the caveat the item is agreed with" in response.content.decode()
    target.refresh_from_db()
    assert target.status == NegotiationStatus.PROPOSED
    client.post(
        url,
        {
            "status": "agreed_caveat",
            "caveat": "Subject to the 2008 baseline.",
            "version": target.version,
        },
    )
    target.refresh_from_db()
    assert target.status == NegotiationStatus.AGREED_WITH_CAVEAT
    assert target.caveats == "Subject to the 2008 baseline."
    client.post(url, {"status": "withdrawn", "version": target.version})
    target.refresh_from_db()
    assert target.status == NegotiationStatus.WITHDRAWN


# --- Referrals -----------------------------------------------------------------------------


def test_withdrawing_a_referral_needs_a_reason(client, manchester, negotiator, official):
    referral = Referral.objects.get(agreement=manchester, department=official.organisation)
    url = f"{MANC}referrals/{referral.pk}/withdraw/"
    client.force_login(negotiator)
    assert "Withdraw" in client.get(MANC).content.decode()
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Give the reason for withdrawing" in body
    referral.refresh_from_db()
    assert not referral.is_withdrawn
    response = client.post(url, {"reason": "The DCSF targets were settled at the meeting."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.is_withdrawn and referral.withdrawn_by == negotiator
    # Shown as withdrawn, with its reason, to the GO and to the department.
    for user in (negotiator, official):
        client.force_login(user)
        page = client.get(MANC).content.decode()
        assert "Withdrawn" in page and "settled at the meeting" in page
    page = client.get(f"{MANC}referral/").content.decode()
    assert "withdrew this referral" in page and "settled at the meeting" in page
    assert "Send our views" not in page
    # A settled referral cannot be withdrawn again.
    client.force_login(negotiator)
    assert client.get(url).status_code == 404


def test_only_the_go_withdraws_a_referral(client, manchester, official):
    referral = Referral.objects.get(agreement=manchester, department=official.organisation)
    client.force_login(official)
    response = client.post(f"{MANC}referrals/{referral.pk}/withdraw/", {"reason": "Mine"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert not referral.is_withdrawn


def test_an_overdue_referral_stays_on_the_work_list_until_withdrawn(
    client, manchester, negotiator, official
):
    Referral.objects.filter(agreement=manchester).update(
        due_on=timezone.localdate() - dt.timedelta(days=2)
    )
    services.agreement_transition(
        agreement=manchester,
        actor=negotiator,
        action=Action.RESUME_REVIEW,
        expected_stage=Stage.REFERRED,
    )
    client.force_login(official)
    work = [i for i in client.get("/").context["work"] if i.agreement == "Manchester"]
    assert [(i.task, i.overdue) for i in work] == [
        ("Give your views on the targets in your field", True)
    ]
    assert client.get(f"{MANC}referral/").status_code == 200
    referral = Referral.objects.get(agreement=manchester, department=official.organisation)
    services.referral_withdraw(referral=referral, actor=negotiator, reason="Not needed now.")
    work = [i for i in client.get("/").context["work"] if i.agreement == "Manchester"]
    assert work == []


def test_referring_again_supersedes_an_unanswered_referral(manchester, negotiator):
    services.agreement_transition(
        agreement=manchester,
        actor=negotiator,
        action=Action.RESUME_REVIEW,
        expected_stage=Stage.REFERRED,
    )
    first = list(manchester.referrals.all())
    latest = manchester.versions.order_by("-number").first()
    newer = Version.objects.create(agreement=manchester, number=latest.number + 1, content={})
    services.agreement_transition(
        agreement=manchester, actor=negotiator, action=Action.REFER, expected_stage="in_review"
    )
    for referral in first:
        referral.refresh_from_db()
        assert referral.is_withdrawn
        assert (
            referral.withdrawal_reason == f"Superseded by the referral of version {newer.number}."
        )
    assert manchester.referrals.filter(version=newer, withdrawn_at__isnull=True).count() == 2


# --- Challenges ----------------------------------------------------------------------------


def test_the_locality_cannot_close_the_gos_challenge(client, lancashire, lancashire_coordinator):
    challenge = Comment.objects.get(agreement=lancashire, kind=Comment.Kind.CHALLENGE)
    client.force_login(lancashire_coordinator)
    page = client.get(LANCS).content.decode()
    assert "Mark answered" not in page and "Propose closing this" in page
    response = client.post(
        f"{LANCS}comments/{challenge.pk}/resolve/", {"resolution": "answered"}, follow=True
    )
    assert "Only the Government Office, which raised this, can close it" in (
        response.content.decode()
    )
    challenge.refresh_from_db()
    assert challenge.is_open
    with pytest.raises(ServiceError):
        services.comment_resolve(
            comment=challenge, actor=lancashire_coordinator, resolution="accepted"
        )


def test_the_raiser_closes_after_the_locality_proposes_closing(
    client, lancashire, lancashire_coordinator, negotiator, official
):
    challenge = Comment.objects.get(agreement=lancashire, kind=Comment.Kind.CHALLENGE)
    client.force_login(lancashire_coordinator)
    client.post(f"{LANCS}comments/{challenge.pk}/reply/", {"body": "The trend has flattened."})
    client.post(f"{LANCS}comments/{challenge.pk}/propose-closing/")
    challenge.refresh_from_db()
    assert challenge.closing_proposed_by == lancashire_coordinator and challenge.is_open
    client.force_login(negotiator)
    page = client.get(LANCS).content.decode()
    assert "The locality proposes closing this" in page
    client.post(f"{LANCS}comments/{challenge.pk}/resolve/", {"resolution": "accepted"})
    challenge.refresh_from_db()
    assert challenge.resolution == "accepted" and challenge.resolved_by == negotiator


def test_the_go_cannot_propose_closing_its_own_challenge(client, lancashire, negotiator):
    challenge = Comment.objects.get(agreement=lancashire, kind=Comment.Kind.CHALLENGE)
    client.force_login(negotiator)
    assert client.post(f"{LANCS}comments/{challenge.pk}/propose-closing/").status_code == 404


def test_a_removed_target_keeps_its_comments_anchor(
    client, lancashire, lancashire_coordinator, negotiator
):
    challenge = Comment.objects.get(agreement=lancashire, kind=Comment.Kind.CHALLENGE)
    resolve_all(lancashire, negotiator)
    services.agreement_transition(
        agreement=lancashire,
        actor=negotiator,
        action=Action.RETURN,
        expected_stage=Stage.IN_REVIEW,
        comment="Revise NI 56",
    )
    lancashire.refresh_from_db()
    target = lancashire.targets.get(indicator__code="NI 56")
    last = lancashire.versions.order_by("-number").first()
    agreement_services.target_delete(
        target=target, actor=lancashire_coordinator, expected_version=target.version
    )
    challenge.refresh_from_db()
    assert challenge.target_id is None
    assert challenge.anchor_label_kept == "Target NI 56"
    assert challenge.anchor_version == last
    assert challenge.anchor_label == "Target NI 56 (removed)"
    client.force_login(lancashire_coordinator)
    page = client.get(LANCS).content.decode()
    assert f'href="/agreements/2008-11/lancashire/versions/{last.number}/"' in page
    assert "Target NI 56 (removed), as in version" in page
