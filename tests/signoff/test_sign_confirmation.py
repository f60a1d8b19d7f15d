"""After checking their answers, a signatory signs; the sign-off page then confirms it in a
panel naming what happens next and who was told. A stale check page signs nothing."""

from django.utils import timezone

from accounts.models import User
from notifications.models import Frequency, Notification
from signoff.models import Signature, StepKind
from tests.signoff.conftest import council_of, sign

BASE = "/agreements/2008-11/lancashire/sign-off/"


def _answers(run, **extra) -> dict:
    today = timezone.localdate()
    return {
        "version_number": run.version.number,
        "signatory_name": "Cllr Sam Ward",
        "signatory_role": "Leader of the Council",
        "signed_on_0": today.day,
        "signed_on_1": today.month,
        "signed_on_2": today.year,
        "meeting": "Full council, 26 June 2008",
        "confirm": "on",
        **extra,
    }


def _partners_signed(agreement, coordinator):
    for partnership in agreement.area.partnerships.select_related("organisation"):
        sign(agreement, coordinator, StepKind.PARTNERS, partnership.organisation)


def test_the_signature_is_confirmed_with_what_happens_next_and_who_was_told(
    client, in_sign_off, lancashire_coordinator, negotiator
):
    _partners_signed(in_sign_off, lancashire_coordinator)
    User.objects.filter(pk=negotiator.pk).update(notification_frequency=Frequency.IMMEDIATE)
    council = council_of(in_sign_off)
    run = in_sign_off.sign_offs.get()
    url = f"{BASE}council/{council.pk}/"
    client.force_login(lancashire_coordinator)
    check = client.post(url, _answers(run)).content.decode()
    assert "Check before signing" in check
    assert "Full council, 26 June 2008" in check and "Cllr Sam Ward" in check
    response = client.post(url, _answers(run, answers_checked="yes"))
    assert response.status_code == 302 and response["Location"] == BASE
    signature = Signature.objects.get(organisation=council)
    page = client.get(BASE).content.decode()
    assert 'data-testid="confirmation-panel"' in page
    assert f"Signature recorded for {council.name}" in page
    assert f"Version {run.version.number}, signed by Cllr Sam Ward" in page
    assert "Sign-off now waits for the Government Office" in page
    # Who was told is read from the notifications this signature sent.
    told = Notification.objects.filter(
        subject__startswith="Lancashire: waiting for", created_at__gte=signature.recorded_at
    )
    assert negotiator.pk in {n.user_id for n in told}
    assert f"{negotiator.get_full_name()}, GO lead negotiator, GO North West" in page
    assert 'data-testid="confirmation-panel"' not in client.get(BASE).content.decode()


def test_a_stale_check_page_signs_nothing_and_says_why(client, in_sign_off, lancashire_coordinator):
    _partners_signed(in_sign_off, lancashire_coordinator)
    council = council_of(in_sign_off)
    run = in_sign_off.sign_offs.get()
    url = f"{BASE}council/{council.pk}/"
    client.force_login(lancashire_coordinator)
    client.post(url, _answers(run))  # the check page is drawn...
    sign(in_sign_off, lancashire_coordinator, StepKind.COUNCIL, council)  # ...someone signs
    response = client.post(url, _answers(run, answers_checked="yes", signatory_name="Late"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "govuk-error-summary" in page
    assert "Sign-off goes in order" in page or "already signed" in page
    assert not Signature.objects.filter(signatory_name="Late").exists()
