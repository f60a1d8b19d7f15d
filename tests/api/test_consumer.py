"""A consumer that knows only the schema and a token downloads a round's agreed targets
and finds every signed target."""

from __future__ import annotations

import csv
import io

import yaml
from django.utils import timezone

from agreements.models import Agreement
from agreements.services import signed_targets_record
from negotiations.models import Version
from tests.api.conftest import ApiClient, personal_secret
from tests.factories import AgreementFactory, TargetFactory, VersionFactory


def _operation_path(schema: dict, operation_id: str) -> str:
    for path, operations in schema["paths"].items():
        if operations.get("get", {}).get("operationId") == operation_id:
            return path
    raise AssertionError(f"No operation {operation_id}")


def _dataset_operation(schema: dict) -> tuple[str, dict]:
    """The operation whose 200 answer offers CSV: the agreed targets dataset."""
    for path, operations in schema["paths"].items():
        get = operations["get"]
        if "text/csv" in get["responses"].get("200", {}).get("content", {}):
            return path, get
    raise AssertionError("The schema offers no dataset")


def test_consumer_downloads_every_signed_target_of_a_round(admin_user):
    # A second signed agreement beside the demo's Wigan, with a local target of its own.
    extra = AgreementFactory(area__ons_code="E06000099")
    TargetFactory(agreement=extra, agreed=True, yearly_values=["41.0", "43", "45.50"])
    version = VersionFactory(agreement=extra)
    Agreement.objects.filter(pk=extra.pk).update(
        stage="signed", signed_version=version, signed_at=timezone.now()
    )
    extra.signed_version = version
    signed_targets_record(agreements=[extra])  # as the sign-off's last signature
    expected = set()
    for agreement in Agreement.objects.filter(round__slug="2008-11", signed_version__isnull=False):
        content = Version.objects.get(pk=agreement.signed_version_id).content
        for item in content["targets"]:
            expected.add((agreement.area.ons_code, item["code"] or item["key"]))
    assert len(expected) >= 20

    client = ApiClient(personal_secret(admin_user))
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    path, operation = _dataset_operation(schema)
    assert [p["name"] for p in operation["parameters"] if p["in"] == "path"] == ["slug"]
    rounds = client.get(_operation_path(schema, "rounds_list")).json()["results"]
    round_slug = next(r["slug"] for r in rounds if r["slug"] == "2008-11")
    url = path.replace("{slug}", round_slug)

    data = client.get(url).json()
    found = {
        (row["area_ons_code"], row["indicator_code"] or row["target_key"]) for row in data["rows"]
    }
    assert found == expected
    assert data["count"] == len(expected)

    rows = list(
        csv.DictReader(io.StringIO(client.get(url, HTTP_ACCEPT="text/csv").content.decode()))
    )
    assert {(r["area_ons_code"], r["indicator_code"] or r["target_key"]) for r in rows} == expected
    local = next(
        r for r in rows if r["area_ons_code"] == extra.area.ons_code and not r["indicator_code"]
    )
    # Values as typed: the places kept, "41.0" stays "41.0".
    assert (local["2008/09 value"], local["2009/10 value"], local["2010/11 value"]) == (
        "41.0",
        "43",
        "45.50",
    )
    assert local["units"] == "%"
