"""The configured identity providers and what their discovery documents say."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

# A provider's discovery document is read again after this many seconds.
METADATA_MAX_AGE = 300

_metadata: dict[str, tuple[float, dict]] = {}
_metadata_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider did not answer, or answered with something that is not its discovery
    document or key set."""


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str
    domains: tuple[str, ...]


def _provider(config: dict) -> Provider:
    return Provider(
        name=config["name"],
        label=config["label"],
        issuer=config["issuer"],
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        domains=tuple(config["domains"]),
    )


def provider_named(name: str) -> Provider | None:
    config = settings.SSO_PROVIDERS.get(name)
    return _provider(config) if config else None


def email_domain(email: str) -> str:
    return email.strip().rsplit("@", 1)[-1].lower() if "@" in email else ""


def provider_for_email(email: str) -> Provider | None:
    """The provider a person with this e-mail address signs in with, if any."""
    domain = email_domain(email)
    if not domain:
        return None
    for config in settings.SSO_PROVIDERS.values():
        if domain in config["domains"]:
            return _provider(config)
    return None


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.SSO_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {type(error).__name__}") from error
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{url}: not a JSON object")
    return data


def provider_metadata(provider: Provider) -> dict:
    """The provider's discovery document (cached a few minutes). Its issuer must be the one
    configured, as OpenID Connect Discovery requires."""
    now = time.monotonic()
    with _metadata_lock:
        cached = _metadata.get(provider.issuer)
        if cached and now - cached[0] < METADATA_MAX_AGE:
            return cached[1]
    metadata = _get_json(f"{provider.issuer}/.well-known/openid-configuration")
    if metadata.get("issuer", "").rstrip("/") != provider.issuer:
        raise ProviderUnavailable(f"{provider.name}: discovery names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise ProviderUnavailable(f"{provider.name}: discovery has no {key}")
    with _metadata_lock:
        _metadata[provider.issuer] = (now, metadata)
    return metadata


def provider_keys(metadata: dict) -> dict:
    """The provider's public signing keys, read afresh for each sign-in so that a rotated
    key is never missed."""
    return _get_json(metadata["jwks_uri"])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def sign_in_origins() -> list[str]:
    """The origins the sign-in form may be sent on to (its Content Security Policy's
    form-action): each provider's issuer, and its authorization endpoint where discovery
    has already named one elsewhere. No provider is asked anything here."""
    origins: list[str] = []
    for config in settings.SSO_PROVIDERS.values():
        candidates = [config["issuer"]]
        cached = _metadata.get(config["issuer"])
        if cached:
            candidates.append(cached[1]["authorization_endpoint"])
        for origin in map(_origin, candidates):
            if origin not in origins:
                origins.append(origin)
    return origins
