"""Single sign-on against a real OpenID Connect provider started here (oidc-provider-mock,
served on a local port in a thread): the person is sent there from the sign-in page, comes
back with a code, and is signed in to the account their verified e-mail address already
has; anything else is refused with a clear page and a line in the security log."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread

from accounts.models import SecurityEvent, SignedInSession, User
from accounts.sso.services import SIGNED_IN_WITH_SSO
from tests.factories import UserFactory

# The provider itself (not the portal) uses a deprecated part of its library.
pytestmark = pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning")

DOMAIN = "gonw.example.gov.uk"
CLIENT_ID = "laa-portal"

PROVIDER_USERS = [
    ProviderUser(sub="sam", claims={"email": f"Sam.Negotiator@{DOMAIN}", "email_verified": True}),
    ProviderUser(sub="stranger", claims={"email": f"stranger@{DOMAIN}", "email_verified": True}),
    ProviderUser(sub="unverified", claims={"email": f"sam.negotiator@{DOMAIN}"}),
    ProviderUser(
        sub="outsider", claims={"email": "coordinator@example.org", "email_verified": True}
    ),
    # The provider signs a token naming another service as its audience.
    ProviderUser(
        sub="elsewhere",
        claims={
            "email": f"sam.negotiator@{DOMAIN}",
            "email_verified": True,
            "aud": "another-service",
        },
    ),
]


@pytest.fixture(scope="module")
def identity_provider():
    with run_server_in_thread(require_nonce=True, user_claims=PROVIDER_USERS) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, identity_provider):
    settings.SSO_PROVIDERS = {
        "gonw": {
            "name": "gonw",
            "label": "GO North West",
            "issuer": identity_provider,
            "client_id": CLIENT_ID,
            "client_secret": "a-client-secret",
            "domains": [DOMAIN],
        }
    }
    return identity_provider


@pytest.fixture
def sam(db):
    return UserFactory(
        negotiator=True, email=f"sam.negotiator@{DOMAIN}", full_name="Sam Negotiator"
    )


def start(client, email, password=""):
    return client.post("/sign-in/", {"username": email, "password": password, "next": "/areas/"})


def authorise_at_provider(authorize_url: str, sub: str) -> str:
    """The person signs in at their provider as `sub`; gives the address it sends them back to."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def come_back(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert parts.path == "/sign-in/sso/callback/"
    return client.get(f"{parts.path}?{parts.query}")


def sign_in_with_sso(client, email, sub):
    started = start(client, email)
    assert started.status_code == 302
    return come_back(client, authorise_at_provider(started.url, sub))


def refusals():
    return list(SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SSO_REFUSED))


def test_a_person_of_a_single_sign_on_domain_is_sent_to_their_provider(client, sso, sam):
    response = start(client, "SAM.NEGOTIATOR@" + DOMAIN.upper(), password="whatever was typed")
    assert response.status_code == 302
    url = urlsplit(response.url)
    assert f"{url.scheme}://{url.netloc}" == sso
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://127.0.0.1:8000/sign-in/sso/callback/"]
    # No password was checked: no failed sign-in is logged.
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).exists()


def test_the_sign_in_page_says_how_single_sign_on_works_only_when_there_is_some(client, sso, db):
    assert 'data-testid="sso-hint"' in client.get("/sign-in/").content.decode()


def test_sign_in_page_without_providers_has_no_single_sign_on_hint(client, db):
    assert 'data-testid="sso-hint"' not in client.get("/sign-in/").content.decode()


def test_a_person_is_signed_in_to_their_own_account_by_verified_email(client, sso, sam):
    response = sign_in_with_sso(client, sam.email, "sam")
    assert response.status_code == 302
    assert response.url == "/areas/"
    assert client.get("/").context["user"] == sam
    assert client.session[SIGNED_IN_WITH_SSO] is True
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SSO_LOGIN)
    assert event.subject == sam and event.detail == "provider gonw"
    record = SignedInSession.objects.get(user=sam)
    assert record.with_single_sign_on and record.session_key == client.session.session_key


def test_sign_out_ends_the_portal_session(client, sso, sam):
    sign_in_with_sso(client, sam.email, "sam")
    key = client.session.session_key
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/").status_code == 302
    assert not SignedInSession.objects.filter(session_key=key).exists()
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_an_unknown_email_is_refused_and_no_account_is_made(client, sso, sam):
    users = User.objects.count()
    response = sign_in_with_sso(client, f"stranger@{DOMAIN}", "stranger")
    assert response.status_code == 403
    body = response.content.decode()
    assert "There is no LAA Portal account for stranger@" in body
    assert "invite you" in body
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session
    [refusal] = refusals()
    assert refusal.detail == f"provider gonw: no account for e-mail 'stranger@{DOMAIN}'"


def test_a_token_for_another_audience_is_refused(client, sso, sam):
    response = sign_in_with_sso(client, sam.email, "elsewhere")
    assert response.status_code == 403
    body = response.content.decode()
    assert "did not confirm who you are" in body
    assert "another-service" not in body and "Error" not in body
    assert "_auth_user_id" not in client.session
    [refusal] = refusals()
    assert refusal.detail.startswith("provider gonw: ID token refused: InvalidClaimError")
    assert "aud" in refusal.detail


def test_an_unverified_email_is_refused(client, sso, sam):
    response = sign_in_with_sso(client, sam.email, "unverified")
    assert response.status_code == 403
    assert "has not confirmed your email address" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_provider_cannot_vouch_for_another_domain(client, sso, sam, coordinator):
    response = sign_in_with_sso(client, sam.email, "outsider")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    [refusal] = refusals()
    assert "outside the provider's domains" in refusal.detail


def test_a_person_whose_access_was_removed_is_refused(client, sso, sam):
    User.objects.filter(pk=sam.pk).update(is_active=False)
    response = sign_in_with_sso(client, sam.email, "sam")
    assert response.status_code == 403
    assert "Your access to the LAA Portal has been removed" in response.content.decode()
    [refusal] = refusals()
    assert refusal.subject == sam


def test_a_code_brought_back_to_another_browser_is_refused(client, sso, sam, django_user_model):
    from django.test import Client

    started = start(client, sam.email)
    callback = authorise_at_provider(started.url, "sam")
    other = Client()
    response = come_back(other, callback)
    assert response.status_code == 403
    assert "not started from this browser" in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_a_forged_state_is_refused_and_the_sign_in_cannot_be_replayed(client, sso, sam):
    started = start(client, sam.email)
    callback = authorise_at_provider(started.url, "sam")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    forged = client.get(f"{parts.path}?code={query['code'][0]}&state=forged")
    assert forged.status_code == 403
    # The sign-in under way was used up by the forged attempt: the real answer is refused too.
    assert come_back(client, callback).status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_provider_refusing_gives_a_clear_page(client, sso, sam):
    started = start(client, sam.email)
    state = parse_qs(urlsplit(started.url).query)["state"][0]
    response = client.get(f"/sign-in/sso/callback/?error=access_denied&state={state}")
    assert response.status_code == 403
    assert "did not sign you in" in response.content.decode()
    assert "access_denied" in refusals()[0].detail


def test_a_provider_that_does_not_answer_gives_a_clear_page(client, settings, sam):
    settings.SSO_PROVIDERS = {
        "gonw": {
            "name": "gonw",
            "label": "GO North West",
            "issuer": "http://localhost:9",
            "client_id": CLIENT_ID,
            "client_secret": "a-client-secret",
            "domains": [DOMAIN],
        }
    }
    settings.SSO_TIMEOUT = 2
    response = start(client, sam.email)
    assert response.status_code == 403
    assert "did not answer" in response.content.decode()


def test_other_domains_still_sign_in_with_a_password(client, sso, coordinator):
    response = client.post(
        "/sign-in/", {"username": "coordinator@example.org", "password": "demo-password"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert SIGNED_IN_WITH_SSO not in client.session


def test_the_callback_without_a_sign_in_under_way_is_refused(client, db):
    response = client.get("/sign-in/sso/callback/?code=x&state=y")
    assert response.status_code == 403
    assert "Start again from the sign-in page" in response.content.decode()


def test_the_sign_in_form_may_be_sent_on_to_the_provider(client, sso):
    # The form's answer redirects to the provider; the browser holds the redirect to the
    # sign-in page's form-action policy.
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", sso]


def test_other_pages_keep_form_action_to_the_portal_alone(client, sso, coordinator):
    client.force_login(coordinator)
    policy = client.get("/")["Content-Security-Policy"]
    assert "form-action 'self';" in policy + ";"
    assert sso not in policy


def test_only_single_sign_on_marks_a_session_as_signed_in_by_it(client, sso, sam):
    sign_in_with_sso(client, sam.email, "sam")
    assert client.session[SIGNED_IN_WITH_SSO] is True
    # Signed in again another way in the same browser: the mark goes.
    client.force_login(sam)
    assert SIGNED_IN_WITH_SSO not in client.session
    assert not SignedInSession.objects.get(
        session_key=client.session.session_key
    ).with_single_sign_on


def test_the_return_never_leads_off_the_portal(client, sso, sam):
    started = client.post(
        "/sign-in/", {"username": sam.email, "password": "", "next": "https://elsewhere.example/"}
    )
    response = come_back(client, authorise_at_provider(started.url, "sam"))
    assert response.status_code == 302 and response.url == "/"
