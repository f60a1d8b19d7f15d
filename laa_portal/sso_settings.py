"""Single sign-on providers, read from the environment.

`SSO_PROVIDERS=dcsf,communities` names the providers; each has its own variables:

- `SSO_<NAME>_ISSUER`: the provider's issuer address (its discovery document is at
  `<issuer>/.well-known/openid-configuration`); https, or http on the local machine only;
- `SSO_<NAME>_CLIENT_ID` and `SSO_<NAME>_CLIENT_SECRET`: the portal's registration there;
- `SSO_<NAME>_DOMAINS`: the e-mail domains whose people sign in there, comma-separated;
- `SSO_<NAME>_LABEL` (optional): the organisation's name as people know it.

A missing or bad value stops the portal at start-up and names the variable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def _required(environ: Mapping[str, str], variable: str) -> str:
    value = environ.get(variable, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{variable} must be set for the single sign-on provider.")
    return value


def _issuer(environ: Mapping[str, str], variable: str) -> str:
    raw = _required(environ, variable)
    parts = urlsplit(raw)
    local = parts.hostname in _LOCAL_HOSTS
    if (
        parts.scheme not in ("https", "http")
        or (parts.scheme == "http" and not local)
        or not parts.hostname
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"{variable} must be the provider's https:// issuer address (http only on "
            f"localhost), with no query or fragment, not {raw!r}"
        )
    return raw.rstrip("/")


def _domains(environ: Mapping[str, str], variable: str) -> list[str]:
    domains = [d.strip().lower() for d in _required(environ, variable).split(",") if d.strip()]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise ImproperlyConfigured(
                f"{variable} must list e-mail domains such as dcsf.gov.uk, not {domain!r}"
            )
    if not domains:
        raise ImproperlyConfigured(f"{variable} must name at least one e-mail domain.")
    return domains


def sso_providers_from_environ(environ: Mapping[str, str]) -> dict[str, dict]:
    """The providers as {name: {"name", "label", "issuer", "client_id", "client_secret",
    "domains"}}, in the order given; empty when SSO_PROVIDERS is unset or empty."""
    names = [n.strip().lower() for n in environ.get("SSO_PROVIDERS", "").split(",") if n.strip()]
    providers: dict[str, dict] = {}
    owner_of_domain: dict[str, str] = {}
    for name in names:
        if not _NAME.match(name):
            raise ImproperlyConfigured(
                "SSO_PROVIDERS must list short names of letters, digits and underscores "
                f"(each starting with a letter), not {name!r}"
            )
        if name in providers:
            raise ImproperlyConfigured(f"SSO_PROVIDERS names {name!r} twice.")
        prefix = f"SSO_{name.upper()}_"
        domains = _domains(environ, prefix + "DOMAINS")
        for domain in domains:
            if domain in owner_of_domain:
                raise ImproperlyConfigured(
                    f"{prefix}DOMAINS: {domain} already signs in with "
                    f"{owner_of_domain[domain]!r}; a domain has one provider."
                )
            owner_of_domain[domain] = name
        providers[name] = {
            "name": name,
            "label": environ.get(prefix + "LABEL", "").strip() or name.upper(),
            "issuer": _issuer(environ, prefix + "ISSUER"),
            "client_id": _required(environ, prefix + "CLIENT_ID"),
            "client_secret": _required(environ, prefix + "CLIENT_SECRET"),
            "domains": domains,
        }
    return providers
