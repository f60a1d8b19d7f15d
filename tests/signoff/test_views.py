"""The sign-off pages: the record, signing forms with their errors, who may see what."""

import pytest
from django.utils import timezone

from signoff.models import Signature, StepKind
from tests.signoff.conftest import PARTNERS, council_of, sign

BASE = "/agreements/2008-11/lancashire/sign-off/"


def _date(prefix: str = "signed_on") -> dict:
    today = timezone.localdate()
    return {f"{prefix}_0": today.day, f"{prefix}_1": today.month, f"{prefix}_2": today.year}


def _police(agreement):
    return agreement.area.partnerships.get(organisation__name=PARTNERS[0]).organisation


def test_the_sign_off_page_shows_the_chain_and_what_this_user_may_sign(
    client, in_sign_off, police_user, negotiator
):
    client.force_login(police_user)
    page = client.get(BASE).content.decode()
    assert "Waiting for the partners&#x27; sign-off" in page
    assert f"Sign off for {PARTNERS[0]}" in page
    assert f"Sign off for {PARTNERS[1]}" not in page  # another partner's signature
    client.force_login(negotiator)
    page = client.get(BASE).content.decode()
    assert "Sign off for" not in page and "Record the GO" not in page  # not its turn yet


def test_a_partner_signs_with_its_commitments(client, in_sign_off, police_user):
    agreement = in_sign_off
    police = _police(agreement)
    client.force_login(police_user)
    url = f"{BASE}partners/{police.pk}/"
    page = client.get(url).content.decode()
    assert "On behalf of Lancashire Constabulary (test)" in page
    assert "NI 117" in page and "(lead partner)" in page
    run = agreement.sign_offs.get()
    answers = {
        "version_number": run.version.number,
        "signatory_name": "Priya Police",
        "signatory_role": "Assistant Chief Constable",
        **_date(),
        "targets": ["NI 117", "NI 56"],
        "confirm": "on",
    }
    # First the signatory checks what they are about to sign; nothing is signed yet.
    check = client.post(url, answers)
    page = check.content.decode()
    assert check.status_code == 200
    assert "Check before signing: Lancashire Constabulary (test)" in page
    assert "Priya Police" in page and "Assistant Chief Constable" in page
    assert f"Version {run.version.number}" in page
    assert 'name="answers_checked"' in page
    assert not Signature.objects.filter(organisation=police).exists()
    # Changing the answers shows the form again, filled in.
    again = client.post(url, {**answers, "change_answers": "yes"}).content.decode()
    assert 'value="Priya Police"' in again and "Check before signing" not in again
    response = client.post(url, {**answers, "answers_checked": "yes"})
    assert response.status_code == 302
    signature = Signature.objects.get(organisation=police)
    assert {c["key"] for c in signature.commitments} == {"NI 117", "NI 56"}
    page = client.get(BASE).content.decode()
    assert "Priya Police, Assistant Chief Constable" in page


def test_signing_errors_are_shown_and_nothing_is_recorded(client, in_sign_off, police_user):
    police = _police(in_sign_off)
    client.force_login(police_user)
    url = f"{BASE}partners/{police.pk}/"
    run = in_sign_off.sign_offs.get()
    response = client.post(url, {"version_number": run.version.number, "targets": []})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert "Enter the signatory&#x27;s full name" in page
    assert "Confirm the statement to sign" in page
    response = client.post(
        url,
        {
            "version_number": run.version.number,
            "signatory_name": "Priya Police",
            "signatory_role": "ACC",
            **_date(),
            "targets": [],
            "confirm": "on",
            "answers_checked": "yes",
        },
    )
    assert "leads NI 117" in response.content.decode()
    assert not Signature.objects.filter(sign_off__agreement=in_sign_off).exists()


def test_signing_for_someone_else_answers_404(client, in_sign_off, police_user, partner, official):
    pct = in_sign_off.area.partnerships.get(organisation__name=PARTNERS[1]).organisation
    client.force_login(police_user)
    assert client.get(f"{BASE}partners/{pct.pk}/").status_code == 404
    assert client.get(f"{BASE}council/{council_of(in_sign_off).pk}/").status_code == 404
    assert client.get(f"{BASE}nonsense/{pct.pk}/").status_code == 404
    run = in_sign_off.sign_offs.get()
    response = client.post(
        f"{BASE}partners/{pct.pk}/",
        {
            "version_number": run.version.number,
            "signatory_name": "Priya Police",
            "signatory_role": "ACC",
            **_date(),
            "confirm": "on",
        },
    )
    assert response.status_code == 404
    assert not Signature.objects.filter(organisation=pct).exists()
    # People who may not see the agreement at all get 404 for the page too.
    for user in (partner, official):
        client.force_login(user)
        assert client.get(BASE).status_code == 404


def test_the_go_recommendation_form_needs_the_vcs_confirmation(
    client, in_sign_off, lancashire_coordinator, negotiator
):
    agreement = in_sign_off
    for partnership in agreement.area.partnerships.select_related("organisation"):
        sign(agreement, lancashire_coordinator, StepKind.PARTNERS, partnership.organisation)
    sign(agreement, lancashire_coordinator, StepKind.COUNCIL, council_of(agreement))
    client.force_login(negotiator)
    go = agreement.area.government_office
    run = agreement.sign_offs.get()
    response = client.post(
        f"{BASE}go/{go.pk}/",
        {
            "version_number": run.version.number,
            "signatory_name": "Nadia Negotiator",
            "signatory_role": "Lead negotiator",
            **_date(),
            "regional_director": "Rita Director",
            "confirm": "on",
        },
    )
    assert "Confirm that the voluntary and community sector was involved" in (
        response.content.decode()
    )
    assert not Signature.objects.filter(sign_off__agreement=agreement, step="go").exists()


@pytest.mark.parametrize("who", ["coordinator", "negotiator"])
def test_round_chains_are_for_admins_only(client, who, request, round_2008):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/rounds/{round_2008.slug}/sign-off/").status_code == 404
    assert client.post(f"/rounds/{round_2008.slug}/refresh/", {"open": "yes"}).status_code == 404


def test_an_admin_reorders_the_chains_and_opens_a_refresh(client, admin_user, round_2008):
    from signoff.services import round_refresh_close

    # The demo opened the round's refresh (Bolton's amendment): closed again to open it here.
    round_refresh_close(round=round_2008, actor=admin_user)
    client.force_login(admin_user)
    url = f"/rounds/{round_2008.slug}/sign-off/"
    response = client.post(url, {"signing_partners": "1", "signing_council": "1"})
    assert "Give each step of the signing chain a different position" in response.content.decode()
    assert "Give at least one step a position in the refresh chain" in response.content.decode()
    response = client.post(
        url,
        {
            "signing_partners": "2",
            "signing_council": "1",
            "signing_minister": "3",
            "refresh_minister": "1",
        },
    )
    assert response.status_code == 302
    round_2008.refresh_from_db()
    assert round_2008.signing_steps == ["council", "partners", "minister"]
    assert round_2008.refresh_steps == ["minister"]
    assert "Open since" not in client.get(url).content.decode()
    client.post(f"/rounds/{round_2008.slug}/refresh/", {"open": "yes"})
    round_2008.refresh_from_db()
    assert round_2008.refresh_opened_at is not None
    assert "Open since" in client.get(url).content.decode()


def test_your_work_lists_the_signatures_each_person_owes(
    client, in_sign_off, police_user, lancashire_coordinator, negotiator, admin_user
):
    from portal.work import work_for

    def tasks(user):
        return {(item.agreement, item.task) for item in work_for(user)}

    assert ("Lancashire", f"Sign off for {PARTNERS[0]}") in tasks(police_user)
    assert ("Lancashire", f"Sign off for {PARTNERS[1]}") not in tasks(police_user)
    assert ("Lancashire", f"Sign off for {PARTNERS[1]}") in tasks(lancashire_coordinator)
    assert not any(a == "Lancashire" for a, _ in tasks(admin_user))
    # The demo's Blackpool waits for the GO's recommendation.
    assert ("Blackpool", "Record the GO's recommendation") in tasks(negotiator)
    client.force_login(police_user)
    assert f"Sign off for {PARTNERS[0]}" in client.get("/").content.decode()
    for partnership in in_sign_off.area.partnerships.select_related("organisation"):
        sign(in_sign_off, lancashire_coordinator, StepKind.PARTNERS, partnership.organisation)
    sign(in_sign_off, lancashire_coordinator, StepKind.COUNCIL, council_of(in_sign_off))
    sign(in_sign_off, negotiator, StepKind.GO, in_sign_off.area.government_office)
    assert ("Lancashire", "Record the Minister's signature") in tasks(admin_user)


def test_the_go_is_told_to_start_sign_off(agreed, negotiator):
    from portal.work import work_for

    assert ("Lancashire", "Start sign-off") in {(i.agreement, i.task) for i in work_for(negotiator)}
