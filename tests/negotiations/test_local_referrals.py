"""A national indicator used as a local target brings in its lead department."""

from accounts.models import Organisation, Role, User
from agreements.stages import Action, Stage
from negotiations import services
from tests.negotiations.conftest import set_stage


def test_a_local_target_on_a_home_office_indicator_appears_on_its_referral_page(
    client, lancashire, lancashire_coordinator, negotiator
):
    home_office = Organisation.objects.get(abbreviation="HO")
    assert not lancashire.targets.filter(indicator__code="NI 32").exists()
    set_stage(lancashire, Stage.DRAFTING)
    client.force_login(lancashire_coordinator)
    ni32 = lancashire.round.indicators.get(code="NI 32")
    assert ni32.lead_department == home_office
    response = client.post(
        "/agreements/2008-11/lancashire/targets/add/local/",
        {
            "indicator_source": "national",
            "indicator": ni32.pk,
            "outcome": "",
            "lead_partner": "",
            "value_0": "10",
            "value_1": "9",
            "value_2": "8",
            "baseline_value": "11",
        },
    )
    assert response.status_code == 302
    assert lancashire.targets.get(indicator=ni32).kind == "local"
    set_stage(lancashire, Stage.IN_REVIEW)
    assert home_office in services.lead_departments(lancashire)
    services.agreement_transition(
        agreement=lancashire,
        actor=negotiator,
        action=Action.REFER,
        expected_stage=Stage.IN_REVIEW,
        comment="For departments' views",
    )
    assert lancashire.referrals.filter(department=home_office).exists()
    home_office_official = User.objects.create_user(
        email="ho.official@example.org",
        password="a-long-test-password",
        full_name="Hari Home Office",
        role=Role.OFFICIAL,
        organisation=home_office,
    )
    client.force_login(home_office_official)
    page = client.get("/agreements/2008-11/lancashire/negotiation/referral/")
    assert page.status_code == 200
    codes = {row["code"] for row in page.context["rows"]}
    assert "NI 32" in codes
    assert "Repeat incidents of domestic violence" in page.content.decode()
