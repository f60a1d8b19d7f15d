"""Single sign-on providers are read from the environment, and a bad value stops the portal
at start-up naming the variable (laa_portal/sso_settings.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from laa_portal.sso_settings import sso_providers_from_environ

GOOD = {
    "SSO_PROVIDERS": "dcsf, GONW",
    "SSO_DCSF_ISSUER": "https://login.dcsf.example.gov.uk/realms/staff/",
    "SSO_DCSF_CLIENT_ID": "laa-portal",
    "SSO_DCSF_CLIENT_SECRET": "s3cret",
    "SSO_DCSF_DOMAINS": "DCSF.example.gov.uk, dcsf-agency.example.gov.uk",
    "SSO_DCSF_LABEL": "Department for Children, Schools and Families",
    "SSO_GONW_ISSUER": "http://localhost:5000",
    "SSO_GONW_CLIENT_ID": "portal",
    "SSO_GONW_CLIENT_SECRET": "other",
    "SSO_GONW_DOMAINS": "gonw.example.gov.uk",
}


def test_no_providers_by_default():
    assert sso_providers_from_environ({}) == {}
    assert sso_providers_from_environ({"SSO_PROVIDERS": " , "}) == {}


def test_providers_are_read_with_their_domains():
    providers = sso_providers_from_environ(GOOD)
    assert list(providers) == ["dcsf", "gonw"]
    assert providers["dcsf"] == {
        "name": "dcsf",
        "label": "Department for Children, Schools and Families",
        "issuer": "https://login.dcsf.example.gov.uk/realms/staff",
        "client_id": "laa-portal",
        "client_secret": "s3cret",
        "domains": ["dcsf.example.gov.uk", "dcsf-agency.example.gov.uk"],
    }
    assert providers["gonw"]["label"] == "GONW"


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"SSO_DCSF_ISSUER": ""}, "SSO_DCSF_ISSUER"),
        ({"SSO_DCSF_ISSUER": "http://login.dcsf.example.gov.uk"}, "SSO_DCSF_ISSUER"),
        ({"SSO_DCSF_ISSUER": "https://login.example.gov.uk/?x=1"}, "SSO_DCSF_ISSUER"),
        ({"SSO_DCSF_ISSUER": "login.example.gov.uk"}, "SSO_DCSF_ISSUER"),
        ({"SSO_DCSF_CLIENT_ID": " "}, "SSO_DCSF_CLIENT_ID"),
        ({"SSO_GONW_CLIENT_SECRET": ""}, "SSO_GONW_CLIENT_SECRET"),
        ({"SSO_DCSF_DOMAINS": ""}, "SSO_DCSF_DOMAINS"),
        ({"SSO_DCSF_DOMAINS": "@dcsf.example.gov.uk"}, "SSO_DCSF_DOMAINS"),
        ({"SSO_DCSF_DOMAINS": "localhost"}, "SSO_DCSF_DOMAINS"),
        ({"SSO_GONW_DOMAINS": "DCSF.example.gov.uk"}, "SSO_GONW_DOMAINS"),
        ({"SSO_PROVIDERS": "dcsf,dcsf"}, "SSO_PROVIDERS"),
        ({"SSO_PROVIDERS": "d-c-s-f"}, "SSO_PROVIDERS"),
        ({"SSO_PROVIDERS": "dcsf,gonw,extra"}, "SSO_EXTRA_DOMAINS"),
    ],
)
def test_a_bad_value_is_refused_naming_its_variable(change, variable):
    with pytest.raises(ImproperlyConfigured, match=variable):
        sso_providers_from_environ({**GOOD, **change})


def test_the_secret_never_appears_in_an_error():
    with pytest.raises(ImproperlyConfigured) as refused:
        sso_providers_from_environ({**GOOD, "SSO_DCSF_ISSUER": "ftp://x"})
    assert "s3cret" not in str(refused.value)


def test_the_portal_refuses_to_start_with_a_bad_provider():
    from tests.test_settings import PRODUCTION, run_manage

    good = run_manage("check", env_changes={**PRODUCTION, **GOOD})
    assert good.returncode == 0, good.stdout + good.stderr
    bad = run_manage("check", env_changes={**PRODUCTION, **GOOD, "SSO_GONW_DOMAINS": ""})
    assert bad.returncode != 0
    assert "SSO_GONW_DOMAINS must be set" in bad.stderr
    assert "s3cret" not in bad.stderr
