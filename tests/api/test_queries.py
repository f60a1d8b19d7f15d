"""Each list of the read API reads the same number of queries for a page of 5 items as for
a page of 100; the agreed targets dataset the same for one signed agreement as for many."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from agreements.models import Agreement
from agreements.services import signed_targets_record
from negotiations.models import Version
from tests.api.conftest import ApiClient, personal_secret
from tests.factories import AgreementFactory, FreedomRequestFactory, PolicyOwnerFactory

STAGES = ["drafting", "in_review", "referred", "signed"]


@pytest.fixture
def many(db):
    """A hundred agreements at various stages, each with a relayed request, and a hundred
    versions of Wigan's agreement."""
    dcsf = Organisation.objects.get(kind="department", abbreviation="DCSF")
    owner = PolicyOwnerFactory(department=dcsf, is_laa_lead=False, topic="Tests")
    for index in range(100):
        agreement = AgreementFactory(stage=STAGES[index % len(STAGES)])
        FreedomRequestFactory(agreement=agreement, relayed=True, department=dcsf, owner=owner)
    wigan = Agreement.objects.get(area__slug="wigan", round__slug="2008-11")
    content = wigan.versions.order_by("number").last().content
    start = wigan.versions.count() + 1
    Version.objects.bulk_create(
        Version(agreement=wigan, number=number, content=content)
        for number in range(start, start + 100)
    )


LISTS = [
    "/api/v1/agreements/",
    "/api/v1/agreements/?round=2008-11&changed_since=2000-01-01T00:00:00Z",
    "/api/v1/agreements/2008-11/wigan/versions/",
    "/api/v1/areas/",
    "/api/v1/indicators/",
    "/api/v1/requests/",
    "/api/v1/register/",
]


def _queries(client: ApiClient, path: str, size: int) -> tuple[int, int]:
    separator = "&" if "?" in path else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}{separator}page_size={size}")
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("path", LISTS)
def test_queries_do_not_grow_with_the_page(many, admin_user, path):
    client = ApiClient(personal_secret(admin_user))
    _queries(client, path, 5)  # the first request of a token writes its last use
    small, small_count = _queries(client, path, 5)
    large, large_count = _queries(client, path, 100)
    assert (small_count, large_count) == (5, 100)
    assert small == large


def test_dataset_queries_do_not_grow_with_the_signed_agreements(admin_user):
    client = ApiClient(personal_secret(admin_user))
    path = "/api/v1/rounds/2008-11/agreed-targets/"
    client.get(path)
    with CaptureQueriesContext(connection) as two:
        # Wigan, and Bolton's signed version while its amendment is drafted.
        assert {r["area"] for r in client.get(path).json()["rows"]} == {"bolton", "wigan"}
    for _ in range(10):
        agreement = AgreementFactory()
        version = Version.objects.create(
            agreement=agreement,
            number=1,
            content=Agreement.objects.get(area__slug="wigan").signed_version.content,
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            stage="signed", signed_version=version, signed_at=timezone.now()
        )
        agreement.signed_version = version
        signed_targets_record(agreements=[agreement])  # as the sign-off's last signature
    with CaptureQueriesContext(connection) as twelve:
        assert len({r["area"] for r in client.get(path).json()["rows"]}) == 12
    assert len(two) == len(twelve)
