"""A department answers a referral in one form: a view per target, "support all
remaining", an error summary, a draft kept on the server, and a conflict per target."""

import pytest
from django.urls import reverse

from accounts.models import Organisation, User
from indicators.models import Indicator
from negotiations import services
from negotiations.models import Referral, ReferralDraft, TargetView
from tests.factories import AgreementFactory, ReferralFactory, TargetFactory, UserFactory

pytestmark = pytest.mark.django_db


def dcsf_referral(count: int = 16) -> Referral:
    """An agreement referred to DCSF with `count` targets in DCSF's field and one outside."""
    dcsf = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT, abbreviation="DCSF")
    agreement = AgreementFactory(referred=True)
    for indicator in Indicator.objects.filter(lead_department=dcsf).order_by("number")[:count]:
        TargetFactory(agreement=agreement, kind="designated", indicator=indicator, local_title="")
    other = Indicator.objects.exclude(lead_department=dcsf).order_by("number").first()
    TargetFactory(agreement=agreement, kind="designated", indicator=other, local_title="")
    return ReferralFactory(agreement=agreement, department=dcsf)


def url(referral: Referral) -> str:
    agreement = referral.agreement
    return reverse("negotiations:referral", args=[agreement.round.slug, agreement.area.slug])


def fields(response) -> dict:
    """The form's fields as the page draws them, ready to post back."""
    data = {"summary": ""}
    for row in response.context["rows"]:
        data[f"t{row['pk']}-seen"] = row["seen"]
        data[f"t{row['pk']}-comment"] = row["comment"]
        if row["opinion"]:
            data[f"t{row['pk']}-opinion"] = row["opinion"]
    return data


@pytest.fixture
def dcsf_official(db) -> User:
    return User.objects.get(email="official@example.org")


def test_the_official_supports_all_sixteen_targets_with_one_submit(client, dcsf_official):
    referral = dcsf_referral()
    client.force_login(dcsf_official)
    page = client.get(url(referral))
    rows = page.context["rows"]
    assert len(rows) == 16  # the target outside DCSF's field is not offered
    data = fields(page)
    for row in rows:
        data[f"t{row['pk']}-opinion"] = "support"
    response = client.post(url(referral), {**data, "action": "send", "summary": "All fine."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.is_answered and referral.summary == "All fine."
    assert referral.views.filter(opinion="support").count() == 16


def test_sending_nothing_shows_an_error_summary_linking_to_the_first_target(client, dcsf_official):
    referral = dcsf_referral(3)
    client.force_login(dcsf_official)
    data = fields(client.get(url(referral)))
    response = client.post(url(referral), {**data, "action": "send"})
    assert response.status_code == 400
    body = response.content.decode()
    first = response.context["rows"][0]["pk"]
    assert "There is a problem" in body and "<title>Error:" in body
    assert f'href="#t{first}-opinion-support"' in body
    assert "Choose a view on at least one target" in body
    referral.refresh_from_db()
    assert not referral.is_answered


def test_an_objection_without_a_reason_is_refused_and_kept_as_a_draft(client, dcsf_official):
    referral = dcsf_referral(3)
    client.force_login(dcsf_official)
    page = client.get(url(referral))
    first, second = page.context["rows"][0]["pk"], page.context["rows"][1]["pk"]
    data = {**fields(page), f"t{first}-opinion": "support", f"t{second}-opinion": "object"}
    response = client.post(url(referral), {**data, "action": "send"})
    assert response.status_code == 400
    assert f'href="#t{second}-comment"' in response.content.decode()
    assert not referral.views.exists()
    # A reload shows what was typed, from the draft kept on the server.
    again = client.get(url(referral))
    opinions = {row["pk"]: row["opinion"] for row in again.context["rows"]}
    assert opinions[first] == "support" and opinions[second] == "object"
    assert again.context["draft"] is not None


def test_support_all_remaining_fills_only_the_blank_targets_into_the_draft(client, dcsf_official):
    referral = dcsf_referral(4)
    client.force_login(dcsf_official)
    page = client.get(url(referral))
    first = page.context["rows"][0]["pk"]
    data = {
        **fields(page),
        f"t{first}-opinion": "object",
        f"t{first}-comment": "No baseline yet.",
        "action": "support_all",
    }
    assert client.post(url(referral), data).status_code == 302
    assert not referral.views.exists()  # only a draft so far
    rows = client.get(url(referral)).context["rows"]
    assert [row["opinion"] for row in rows] == ["object", "support", "support", "support"]
    assert rows[0]["comment"] == "No baseline yet."
    response = client.post(url(referral), {**fields(client.get(url(referral))), "action": "send"})
    assert response.status_code == 302
    assert referral.views.count() == 4
    assert not ReferralDraft.objects.filter(referral=referral).exists()


def test_a_draft_is_saved_without_sending(client, dcsf_official):
    referral = dcsf_referral(2)
    client.force_login(dcsf_official)
    page = client.get(url(referral))
    first = page.context["rows"][0]["pk"]
    data = {**fields(page), f"t{first}-comment": "Half typed", "action": "save"}
    assert client.post(url(referral), data).status_code == 302
    draft = ReferralDraft.objects.get(referral=referral, author=dcsf_official)
    assert draft.answers[str(first)]["comment"] == "Half typed"
    assert not referral.views.exists()
    # With htmx the draft is kept as it changes, with nothing to draw.
    response = client.post(url(referral), data, headers={"HX-Request": "true"})
    assert response.status_code == 204


def test_the_second_of_two_officials_gets_a_conflict_and_nothing_is_overwritten(
    client, dcsf_official
):
    referral = dcsf_referral(2)
    colleague = UserFactory(official=True, organisation=referral.department)
    client.force_login(dcsf_official)
    page = client.get(url(referral))
    first = page.context["rows"][0]["pk"]
    target = referral.agreement.targets.get(pk=first)
    # The colleague objects to the first target after the page was opened.
    services.referral_views_save(
        referral=referral,
        actor=colleague,
        answers=[services.ViewAnswer(target, "object", "Too low.", "")],
    )
    data = {**fields(page), f"t{first}-opinion": "support", "action": "send"}
    response = client.post(url(referral), data)
    assert response.status_code == 409
    assert "A colleague saved a different view" in response.content.decode()
    view = TargetView.objects.get(referral=referral, target=target)
    assert (view.opinion, view.official) == ("object", colleague)
    referral.refresh_from_db()
    assert not referral.is_answered
    # Sending again, knowing, replaces the colleague's view.
    again = {**fields(response), "action": "send"}
    assert again[f"t{first}-opinion"] == "support"
    assert client.post(url(referral), again).status_code == 302
    view.refresh_from_db()
    assert view.opinion == "support"


def test_another_department_cannot_open_the_referral(client):
    referral = dcsf_referral(1)
    defra = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT, abbreviation="DEFRA")
    client.force_login(UserFactory(official=True, organisation=defra))
    assert client.get(url(referral)).status_code == 404
    assert client.post(url(referral), {"action": "send"}).status_code == 404


def test_the_department_home_groups_its_referrals_by_government_office(client, dcsf_official):
    first = dcsf_referral(1)
    second = dcsf_referral(1)
    client.force_login(dcsf_official)
    groups = client.get("/").context["referral_groups"]
    offices = {group.government_office: group for group in groups}
    assert first.agreement.area.government_office.name in offices
    assert second.agreement.area.government_office.name in offices
    for group in groups:
        due = [item.due_on for item in group.items]
        assert due == sorted(due)
