"""Referral to departments: automatic by lead department, views per target, late answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from agreements.selectors import agreements_visible_to
from agreements.stages import Action, Stage
from core.errors import ServiceError
from core.working_days import add_working_days, is_working_day
from negotiations import services
from negotiations.models import Referral
from negotiations.selectors import whose_turn


def test_referral_brings_in_each_lead_department_with_a_due_date(manchester):
    referrals = Referral.objects.filter(agreement=manchester)
    assert sorted(r.department.abbreviation for r in referrals) == ["DCSF", "DH"]
    for referral in referrals:
        assert referral.version.number == 1
        assert referral.due_on > timezone.localdate()
        assert is_working_day(referral.due_on)


def test_add_working_days_skips_weekends():
    friday = dt.date(2008, 2, 1)
    assert add_working_days(friday, 1) == dt.date(2008, 2, 4)
    assert add_working_days(friday, 15) == dt.date(2008, 2, 22)


def test_departments_see_only_agreements_referred_to_them(official, manchester, lancashire):
    visible = agreements_visible_to(official)
    assert manchester in visible and lancashire not in visible
    defra = User.objects.create_user(
        email="defra@example.org",
        role="official",
        organisation=manchester.referrals.first().department.__class__.objects.get(
            abbreviation="DEFRA"
        ),
    )
    assert not agreements_visible_to(defra).exists()


def test_official_gives_views_and_answers(client, official, manchester, negotiator):
    client.force_login(official)
    url = "/agreements/2008-11/manchester/negotiation/referral/"
    page = client.get(url)
    targets = {row["code"]: row["target"] for row in page.context["rows"]}
    assert {"NI 117", "NI 72"} <= set(targets)  # DCSF's field, statutory targets included
    assert "NI 56" not in targets and "NI 120" not in targets  # DH's field
    seen = {f"t{row['pk']}-seen": row["seen"] for row in page.context["rows"]}
    ni72, ni117 = targets["NI 72"].pk, targets["NI 117"].pk
    response = client.post(
        url,
        {**seen, f"t{ni72}-opinion": "support", f"t{ni117}-opinion": "object", "action": "send"},
    )
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    response = client.post(
        url,
        {
            **seen,
            f"t{ni72}-opinion": "support",
            f"t{ni117}-opinion": "object",
            f"t{ni117}-comment": "NEET data are not robust at district level yet.",
            "summary": "Content with NI 72, not NI 117.",
            "action": "send",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(agreement=manchester, department=official.organisation)
    assert referral.is_answered and referral.answered_by == official
    client.force_login(negotiator)
    views = client.get(
        "/agreements/2008-11/manchester/negotiation/department-views/"
    ).content.decode()
    assert "NEET data are not robust" in views
    assert whose_turn(manchester) == "Departments: DH"


def test_the_go_sees_late_referrals_and_continues_when_it_chooses(client, manchester, negotiator):
    Referral.objects.filter(agreement=manchester).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(negotiator)
    page = client.get("/agreements/2008-11/manchester/negotiation/").content.decode()
    assert page.count(">Late<") == 2
    services.agreement_transition(
        agreement=manchester,
        actor=negotiator,
        action=Action.RESUME_REVIEW,
        expected_stage=Stage.REFERRED,
    )
    manchester.refresh_from_db()
    assert manchester.stage == Stage.IN_REVIEW


def test_views_stay_open_until_the_referral_is_withdrawn(official, manchester, negotiator):
    services.agreement_transition(
        agreement=manchester,
        actor=negotiator,
        action=Action.RESUME_REVIEW,
        expected_stage=Stage.REFERRED,
    )
    manchester.refresh_from_db()
    referral = Referral.objects.get(agreement=manchester, department=official.organisation)
    target = manchester.targets.get(indicator__code="NI 72")
    # The GO carrying on with its review does not close the department's referral.
    services.target_view_set(referral=referral, actor=official, target=target, opinion="support")
    services.referral_withdraw(referral=referral, actor=negotiator, reason="Settled by phone.")
    referral.refresh_from_db()
    with pytest.raises(ServiceError, match="closed"):
        services.target_view_set(
            referral=referral, actor=official, target=target, opinion="support"
        )


def test_the_referral_page_shows_each_target_as_every_other_page_does(client, official, manchester):
    target = manchester.targets.get(indicator__code="NI 72")
    manchester.targets.filter(pk=target.pk).update(
        baseline_value=Decimal("77.5"),
        baseline_places=1,
        yearly_values=["78.0", "79.25", None],
        units="per cent of pupils",
        is_deferred=True,
        caveats="Awaiting the 2008 key stage results.",
    )
    client.force_login(official)
    page = client.get("/agreements/2008-11/manchester/negotiation/referral/").content.decode()
    card = page[page.index(f'id="target-{target.pk}"') :]
    card = card[: card.index("</form>")]  # the department still gives its view here
    assert "77.5 per cent of pupils" in card and "78.0 per cent of pupils" in card
    assert "79.25 per cent of pupils" in card
    assert "Awaiting the 2008 key stage results." in card
    assert "Yes, deferred to the refresh" in card
    assert f'name="t{target.pk}-opinion"' in card
