"""API tokens: made on a person's own page (shown once, kept as a fingerprint, named, with
an expiry, revocable, last use recorded), made by the national team for an organisation's
system; each request logged with its token and path; throttled per token."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import Organisation
from api.models import ApiRequest, ApiToken
from api.services import hash_secret
from tests.api.conftest import ApiClient, organisation_secret, personal_secret


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _secret_on(page: str) -> str:
    match = re.search(r'data-testid="new-token">(laa_[A-Za-z0-9_-]+)<', page)
    assert match, "the new token is shown"
    return match.group(1)


def test_a_person_creates_a_token_shown_once_and_kept_as_a_fingerprint(coordinator):
    client = _signed_in(coordinator)
    page = client.post(
        "/settings/api-tokens/", {"name": "Performance system", "expires_in_days": "90"}
    )
    assert page.status_code == 200
    secret = _secret_on(page.content.decode())
    token = ApiToken.objects.get(user=coordinator)
    assert token.name == "Performance system"
    assert token.key_hash == hash_secret(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(
        minutes=1
    )
    # Never shown again: the list names the token by its first characters only.
    listing = client.get("/settings/api-tokens/").content.decode()
    assert "Performance system" in listing
    assert token.key_prefix in listing
    assert secret not in listing
    # And it reads the API as its person.
    assert ApiClient(secret).get("/api/v1/agreements/").json()["results"][0]["area"] == "cumbria"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "expires_in_days": "30"}, "Enter a name for the token"),
        ({"name": "Reports", "expires_in_days": ""}, "Choose when the token expires"),
        ({"name": "Reports", "expires_in_days": "9999"}, "Select a valid choice"),
        ({"name": "x" * 101, "expires_in_days": "30"}, "100 characters or fewer"),
    ],
)
def test_the_token_form_is_checked_on_the_server(coordinator, data, message):
    page = _signed_in(coordinator).post("/settings/api-tokens/", data)
    assert page.status_code == 400
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert message in body
    assert not ApiToken.objects.filter(user=coordinator).exists()


def test_a_revoked_or_expired_token_answers_401(coordinator):
    secret = personal_secret(coordinator)
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    client = _signed_in(coordinator)
    assert client.post(f"/settings/api-tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == coordinator
    response = ApiClient(secret).get("/api/v1/rounds/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")

    other = personal_secret(coordinator)
    ApiToken.objects.filter(key_hash=hash_secret(other)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert ApiClient(other).get("/api/v1/rounds/").status_code == 401
    assert ApiClient("laa_not-a-token").get("/api/v1/rounds/").status_code == 401


def test_no_one_revokes_another_persons_token(coordinator, coordinator2):
    secret = personal_secret(coordinator)
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    assert (
        _signed_in(coordinator2).post(f"/settings/api-tokens/{token.pk}/revoke/").status_code == 404
    )
    assert ApiClient(secret).get("/api/v1/rounds/").status_code == 200


def test_a_deactivated_person_s_token_stops_working(coordinator):
    secret = personal_secret(coordinator)
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert ApiClient(secret).get("/api/v1/rounds/").status_code == 401


def test_every_request_is_logged_with_its_token_and_path_and_the_last_use_recorded(coordinator):
    secret = personal_secret(coordinator)
    token = ApiToken.objects.get(key_hash=hash_secret(secret))
    assert token.last_used_at is None
    client = ApiClient(secret)
    client.get("/api/v1/agreements/", {"stage": "drafting"})
    client.get("/api/v1/agreements/2008-11/wigan/")
    logged = list(ApiRequest.objects.filter(token=token).order_by("pk"))
    assert [(r.method, r.path, r.query, r.status) for r in logged] == [
        ("GET", "/api/v1/agreements/", "stage=drafting", 200),
        ("GET", "/api/v1/agreements/2008-11/wigan/", "", 404),
    ]
    assert all(r.user_id == coordinator.pk for r in logged)
    token.refresh_from_db()
    assert token.last_used_at is not None


@override_settings(API_THROTTLE_RATE="3/minute")
def test_requests_are_throttled_per_token(coordinator):
    first, second = ApiClient(personal_secret(coordinator)), ApiClient(personal_secret(coordinator))
    assert [first.get("/api/v1/rounds/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = first.get("/api/v1/rounds/")
    assert throttled.status_code == 429
    assert throttled["Content-Type"] == "application/problem+json"
    assert int(throttled["Retry-After"]) > 0
    # Another token of the same person has its own count.
    assert second.get("/api/v1/rounds/").status_code == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_but_get_answers_405(coordinator, method):
    response = ApiClient(personal_secret(coordinator)).request(method, "/api/v1/agreements/")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_an_admin_makes_and_revokes_an_organisations_token(admin_user):
    client = _signed_in(admin_user)
    go = Organisation.objects.get(kind="government_office", name="GO North West")
    page = client.post(
        "/settings/api-tokens/organisations/",
        {"organisation": go.pk, "name": "GO performance system", "expires_in_days": "365"},
    )
    assert page.status_code == 200
    secret = _secret_on(page.content.decode())
    token = ApiToken.objects.get(organisation=go)
    assert token.kind == "organisation" and token.created_by == admin_user
    # It reads with the reach of the GO's negotiators.
    areas = {a["area"] for a in ApiClient(secret).get("/api/v1/agreements/").json()["results"]}
    assert "wigan" in areas and "leeds" not in areas
    client.post(f"/settings/api-tokens/organisations/{token.pk}/revoke/")
    assert ApiClient(secret).get("/api/v1/agreements/").status_code == 401


def test_a_partner_organisation_gets_no_token_of_its_own(admin_user, partner):
    page = _signed_in(admin_user).post(
        "/settings/api-tokens/organisations/",
        {"organisation": partner.organisation_id, "name": "PCT", "expires_in_days": "30"},
    )
    assert page.status_code == 400
    assert "Choose the organisation the token is for" in page.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "partner", "negotiator", "official"])
def test_only_the_national_team_reaches_organisation_tokens(users_by_role, role):
    client = _signed_in(users_by_role[role])
    assert client.get("/settings/api-tokens/organisations/").status_code == 404
    assert client.get("/settings/api-tokens/").status_code == 200


def test_an_organisation_token_is_revoked_by_no_one_but_an_admin(admin_user, negotiator):
    organisation_secret(admin_user, "go-north-west")
    token = ApiToken.objects.get(kind="organisation")
    assert (
        _signed_in(negotiator)
        .post(f"/settings/api-tokens/organisations/{token.pk}/revoke/")
        .status_code
        == 404
    )
    assert (
        _signed_in(negotiator).post(f"/settings/api-tokens/{token.pk}/revoke/").status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_person_signed_in_reads_the_api_with_their_session(coordinator):
    client = _signed_in(coordinator)
    response = client.get("/api/v1/agreements/")
    assert response.status_code == 200
    assert {a["area"] for a in response.json()["results"]} == {"cumbria"}
    assert client.post("/api/v1/agreements/").status_code == 405
    assert ApiRequest.objects.filter(token=None, user=coordinator).count() == 2


def test_without_a_token_or_session_the_api_answers_401_not_a_sign_in_page(db):
    response = Client().get("/api/v1/agreements/")
    assert response.status_code == 401
    assert response.json()["status"] == 401
