"""Tokens for the read API's tests: a person's own, or an organisation's system's."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Organisation
from api import services


class ApiClient:
    """A program reading the API with a token, as a consumer would: GET only."""

    def __init__(self, secret: str):
        self.secret = secret
        self.client = Client()

    def get(self, path: str, data=None, **headers):
        return self.client.get(path, data, HTTP_AUTHORIZATION=f"Bearer {self.secret}", **headers)

    def request(self, method: str, path: str, **headers):
        call = getattr(self.client, method.lower())
        return call(path, HTTP_AUTHORIZATION=f"Bearer {self.secret}", **headers)


def personal_secret(user, name: str = "Tests") -> str:
    return services.token_create_personal(actor=user, name=name, expires_in_days=30).secret


def organisation_secret(admin, slug: str, name: str = "System") -> str:
    organisation = Organisation.objects.get(slug=slug)
    return services.token_create_for_organisation(
        actor=admin, organisation=organisation, name=name, expires_in_days=30
    ).secret


@pytest.fixture
def api_as():
    """`api_as(user)`: a client reading the API with a new personal token of that user."""

    def make(user) -> ApiClient:
        return ApiClient(personal_secret(user))

    return make
