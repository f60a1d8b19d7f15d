"""The agreed targets dataset reads the signed targets table: the same rows as from the
signed versions' content, and the same queries for the demo's few signed agreements as
for ten more."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, SignedTarget
from agreements.services import signed_targets_record
from negotiations.models import Version
from tests.api.conftest import ApiClient, personal_secret
from tests.factories import AgreementFactory

PATH = "/api/v1/rounds/2008-11/agreed-targets/"


def _sign_like_wigan(count: int) -> None:
    content = Agreement.objects.get(area__slug="wigan").signed_version.content
    made = []
    for _ in range(count):
        agreement = AgreementFactory()
        version = Version.objects.create(agreement=agreement, number=1, content=content)
        Agreement.objects.filter(pk=agreement.pk).update(
            stage="signed", signed_version=version, signed_at=timezone.now()
        )
        agreement.signed_version = version
        made.append(agreement)
    signed_targets_record(agreements=made)


def test_the_dataset_holds_each_signed_versions_targets_read_from_the_table(admin_user):
    client = ApiClient(personal_secret(admin_user))
    _sign_like_wigan(3)
    signed = Agreement.objects.filter(round__slug="2008-11", signed_version__isnull=False)
    rows = client.get(PATH).json()["rows"]
    # Every target of every signed version, in the version's order, area by area.
    for agreement in signed.select_related("area", "signed_version"):
        targets = agreement.signed_version.content["targets"]
        listed = [r for r in rows if r["area"] == agreement.area.slug]
        assert [r["kind"] for r in listed] == [t["kind"] for t in targets]
        assert len(listed) == SignedTarget.objects.filter(agreement=agreement).count() > 0
    # The table is what is read: without its rows the dataset holds none.
    SignedTarget.objects.all().delete()
    assert client.get(PATH).json()["rows"] == []


def test_the_dataset_from_the_table_takes_the_same_queries_for_few_and_many(admin_user):
    client = ApiClient(personal_secret(admin_user))
    client.get(PATH)
    with CaptureQueriesContext(connection) as few:
        areas = len({r["area"] for r in client.get(PATH).json()["rows"]})
    _sign_like_wigan(10)
    with CaptureQueriesContext(connection) as many:
        assert len({r["area"] for r in client.get(PATH).json()["rows"]}) == areas + 10
    assert len(few) == len(many)
