"""The second factor: setting one up, proving it after the password, recovery codes, the
lock-out, the roles that must have one, single sign-on sessions and an admin's reset."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from accounts.twofactor.services import recovery_codes_make

PASSWORD = "demo-password"
REQUIRED = ["negotiator", "official", "admin"]


@pytest.fixture(autouse=True)
def _no_wait_between_codes(settings):
    # django-otp makes each device wait longer after every wrong code; the portal's own
    # lock-out is what these tests check.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(client, user):
    response = client.post("/sign-in/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return response


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_now(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(subject=user).values_list("kind", flat=True))


# --- Who must have one ------------------------------------------------------------------


def test_a_required_role_reaches_only_the_set_up_until_it_has_a_factor(
    client, negotiator, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    sign_in(client, negotiator)
    for path in ("/", "/agreements/", "/areas/", "/settings/email/", "/data-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/account/two-factor/?next="), path
    for path in (
        "/account/two-factor/",
        "/account/two-factor/authenticator-app/",
        "/account/two-factor/passkeys/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/healthz").status_code in (200, 503)
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").url.startswith("/sign-in/")


def test_an_htmx_request_is_sent_to_the_set_up_as_a_whole_page(client, negotiator, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    client.force_login(negotiator)
    response = client.get("/agreements/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/account/two-factor/")


def test_roles_not_required_and_the_demo_default_go_straight_in(
    client, coordinator, negotiator, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    client.force_login(negotiator)
    assert client.get("/").status_code == 200


def test_a_single_sign_on_session_counts_as_having_proved_a_second_factor(
    client, negotiator, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    app_for(negotiator)
    client.force_login(negotiator)
    assert client.get("/").status_code == 302
    session = client.session
    session["laa_signed_in_with_sso"] = True
    session.save()
    assert client.get("/").status_code == 200


# --- Setting up an authenticator app --------------------------------------------------------


def test_setting_up_an_app_with_the_secret_shown_then_recovery_codes_shown_once(
    client, negotiator, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    sign_in(client, negotiator)
    page = client.get("/account/two-factor/authenticator-app/?next=/agreements/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body  # the QR code, drawn on the server
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    key = b32decode(secret.replace(" ", ""))
    device = TOTPDevice.objects.get(user=negotiator, confirmed=False)
    assert key == device.bin_key

    wrong = client.post(
        "/account/two-factor/authenticator-app/", {"code": "12345", "next": "/agreements/"}
    )
    assert wrong.status_code == 200
    assert "Enter the 6-digit code" in wrong.content.decode()
    assert 'class="govuk-error-summary"' in wrong.content.decode()

    code = f"{totp(key):06d}"
    done = client.post(
        "/account/two-factor/authenticator-app/", {"code": code, "next": "/agreements/"}
    )
    assert done.status_code == 302
    assert done.url.startswith("/account/two-factor/recovery-codes/")
    shown = client.get(done.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/agreements/"' in shown
    again = client.get("/account/two-factor/recovery-codes/").content.decode()
    assert not re.findall(r"<li><code>", again)
    assert "10 of 10 recovery codes left" in again

    assert client.get("/agreements/").status_code == 200
    assert TOTPDevice.objects.get(user=negotiator).confirmed
    assert {"second_factor_added", "recovery_codes_made"} <= set(kinds(negotiator))


def test_new_recovery_codes_cancel_the_old_ones(client, coordinator):
    app_for(coordinator)
    old = recovery_codes_make(request=None, user=coordinator)
    client.force_login(coordinator)
    session = client.session
    session["laa_second_factor"] = [coordinator.pk, "none"]
    session.save()
    # A session that has not proved the factor cannot make codes.
    session["laa_second_factor"] = [coordinator.pk, "pending"]
    session.save()
    assert client.post("/account/two-factor/recovery-codes/").url.startswith(
        "/account/two-factor/verify/"
    )
    client.post("/account/two-factor/verify/?method=recovery", {"code": old[0]})
    client.post("/account/two-factor/recovery-codes/")
    new = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>",
        client.get("/account/two-factor/recovery-codes/").content.decode(),
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticDevice.objects.get(user=coordinator).token_set.count() == 10


# --- The second step of sign-in -------------------------------------------------------------


def test_a_person_with_an_app_must_enter_its_code_after_the_password(client, coordinator):
    device = app_for(coordinator)
    response = sign_in(client, coordinator)
    follow = client.get(response.url)
    assert follow.status_code == 302
    assert follow.url == "/account/two-factor/verify/?next=%2F"
    page = client.get(follow.url)
    assert page.status_code == 200
    assert "Check it is you" in page.content.decode()
    # The rest of the portal stays shut, also for a POST.
    assert client.get("/agreements/").url.startswith("/account/two-factor/verify/")
    assert client.post("/settings/email/", {}).url == "/account/two-factor/verify/"
    assert client.get("/account/two-factor/authenticator-app/").url.startswith(
        "/account/two-factor/verify/"
    )

    wrong = client.post("/account/two-factor/verify/?next=/", {"code": "000000", "next": "/"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    right = client.post(
        "/account/two-factor/verify/", {"code": code_now(device), "next": "/agreements/"}
    )
    assert right.status_code == 302 and right.url == "/agreements/"
    assert client.get("/agreements/").status_code == 200
    assert kinds(coordinator)[:2] == ["second_factor_verified", "second_factor_failed"]


def test_the_next_page_after_the_second_step_stays_on_the_portal(client, coordinator):
    device = app_for(coordinator)
    sign_in(client, coordinator)
    response = client.post(
        "/account/two-factor/verify/",
        {"code": code_now(device), "next": "https://elsewhere.example.com/"},
    )
    assert response.url == "/"


def test_a_recovery_code_works_once(client, official):
    app_for(official)
    codes = recovery_codes_make(request=None, user=official)
    sign_in(client, official)
    response = client.post("/account/two-factor/verify/?method=recovery", {"code": codes[3]})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200
    client.post("/sign-out/")
    sign_in(client, official)
    reused = client.post("/account/two-factor/verify/?method=recovery", {"code": codes[3].upper()})
    assert reused.status_code == 200
    assert "The code is not right" in reused.content.decode()
    other = client.post("/account/two-factor/verify/?method=recovery", {"code": codes[4]})
    assert other.status_code == 302


def test_wrong_codes_lock_the_second_step_like_wrong_passwords(client, coordinator, settings):
    device = app_for(coordinator)
    sign_in(client, coordinator)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/account/two-factor/verify/", {"code": "000000"}).status_code == 200
    locked = client.post("/account/two-factor/verify/", {"code": "000000"})
    assert locked.status_code == 429
    assert "Too many wrong codes" in locked.content.decode()
    # Even the right code is refused while locked, and the portal stays shut.
    assert client.post("/account/two-factor/verify/", {"code": code_now(device)}).status_code == 429
    assert client.get("/").status_code == 302
    assert kinds(coordinator).count("second_factor_failed") == settings.AXES_FAILURE_LIMIT


def test_a_person_without_a_factor_is_not_asked_for_one(client, coordinator):
    sign_in(client, coordinator)
    assert client.get("/").status_code == 200
    assert client.get("/account/two-factor/verify/?next=/agreements/").url == "/agreements/"


def test_removing_the_last_factor_removes_the_recovery_codes(client, coordinator):
    device = app_for(coordinator)
    recovery_codes_make(request=None, user=coordinator)
    sign_in(client, coordinator)
    client.post("/account/two-factor/verify/", {"code": code_now(device)})
    response = client.post("/account/two-factor/authenticator-app/remove/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    assert "second_factor_removed" in kinds(coordinator)
    assert client.get("/").status_code == 200


# --- An administrator's reset ---------------------------------------------------------------

# Who may reset whose second factor: only the national team, and never their own.
RESET_TABLE = [
    ("admin", "negotiator", True),
    ("admin", "official", True),
    ("admin", "coordinator", True),
    ("admin", "partner", True),
    ("admin", "admin", False),
    ("negotiator", "coordinator", False),
    ("negotiator", "negotiator", False),
    ("official", "coordinator", False),
    ("coordinator", "partner", False),
    ("coordinator", "coordinator", False),
    ("partner", "coordinator", False),
]


@pytest.mark.parametrize(("actor", "subject", "allowed"), RESET_TABLE)
def test_who_may_reset_whose_second_factor(client, users_by_role, actor, subject, allowed):
    person = users_by_role[subject]
    client.force_login(users_by_role[actor])
    assert users_by_role[actor].has_perm("accounts.reset_second_factor", person) is allowed
    page = client.get(f"/account/two-factor/reset/{person.pk}/")
    assert page.status_code == (200 if allowed else 404)
    posted = client.post(f"/account/two-factor/reset/{person.pk}/")
    assert posted.status_code == (302 if allowed else 404)


def test_a_missing_person_answers_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/account/two-factor/reset/999999/").status_code == 404


def test_a_reset_removes_every_factor_is_logged_and_sends_the_person_to_set_up(
    client, admin_user, negotiator, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["negotiator"]
    device = app_for(negotiator)
    recovery_codes_make(request=None, user=negotiator)
    # The negotiator is signed in and has proved the factor.
    sign_in(client, negotiator)
    client.post("/account/two-factor/verify/", {"code": code_now(device)})
    assert client.get("/").status_code == 200

    from django.test import Client

    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(f"/account/two-factor/reset/{negotiator.pk}/", {"next": "/areas/"})
    assert response.status_code == 302 and response.url == "/areas/"
    assert not TOTPDevice.objects.filter(user=negotiator).exists()
    assert not StaticDevice.objects.filter(user=negotiator).exists()
    event = SecurityEvent.objects.filter(subject=negotiator).first()
    assert (event.kind, event.actor) == ("second_factor_reset", admin_user)
    latest = User.objects.get(pk=negotiator.pk).history.first()
    assert latest.history_change_reason == f"Second factor reset by {admin_user.get_full_name()}"

    # The negotiator's session must now set up a new factor before any page.
    first = client.get("/")
    assert first.url.startswith("/account/two-factor/verify/")
    assert client.get(first.url).url == "/"
    assert client.get("/").url.startswith("/account/two-factor/?next=")


def test_the_person_page_offers_the_reset_to_the_national_team_only(
    client, admin_user, negotiator, coordinator
):
    reset_link = f'href="/account/two-factor/reset/{coordinator.pk}/?next='
    client.force_login(admin_user)
    page = f"/people/person/{coordinator.pk}/"
    assert reset_link not in client.get(page).content.decode()  # nothing to reset yet
    app_for(coordinator)
    assert reset_link in client.get(page).content.decode()
    client.force_login(negotiator)
    response = client.get(page)
    assert response.status_code == 200
    assert reset_link not in response.content.decode()


def test_adding_a_factor_ends_the_persons_other_sessions(client, coordinator):
    from django.test import Client

    elsewhere = Client()
    sign_in(elsewhere, coordinator)
    assert elsewhere.get("/").status_code == 200
    sign_in(client, coordinator)
    client.get("/account/two-factor/authenticator-app/")
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    client.post("/account/two-factor/authenticator-app/", {"code": code_now(device)})
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").url.startswith("/sign-in/")
    assert "session_ended" in kinds(coordinator)


def test_the_data_admin_never_shows_an_authenticator_key_or_recovery_codes(
    client, admin_user, coordinator
):
    device = app_for(coordinator)
    codes = recovery_codes_make(request=None, user=coordinator)
    static = StaticDevice.objects.get(user=coordinator)
    client.force_login(admin_user)
    app_page = client.get(f"/data-admin/otp_totp/totpdevice/{device.pk}/change/")
    assert app_page.status_code == 200
    assert device.key not in app_page.content.decode()
    codes_page = client.get(f"/data-admin/otp_static/staticdevice/{static.pk}/change/")
    assert codes_page.status_code == 200
    assert not any(code in codes_page.content.decode() for code in codes)
