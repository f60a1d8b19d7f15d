"""What a consumer expects of the read API: conditional requests, the change feed,
filters, cursor pagination, problem details, values as the pages show them, and a
documentation page that runs under the Content Security Policy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from agreements.models import Agreement
from agreements.selectors import version_target_presentations
from api.renderers import _cell
from tests.api.conftest import ApiClient, personal_secret
from tests.factories import VersionFactory

WIGAN = "/api/v1/agreements/2008-11/wigan/"


@pytest.fixture
def admin_api(admin_user) -> ApiClient:
    return ApiClient(personal_secret(admin_user))


def test_an_agreement_answers_304_to_a_current_copy_and_200_once_it_changes(admin_api):
    first = admin_api.get(WIGAN)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and modified
    assert admin_api.get(WIGAN, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert admin_api.get(WIGAN, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    wigan = Agreement.objects.get(area__slug="wigan", round__slug="2008-11")
    Agreement.objects.filter(pk=wigan.pk).update(
        version=wigan.version + 1, updated_at=timezone.now() + dt.timedelta(seconds=2)
    )
    again = admin_api.get(WIGAN, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert admin_api.get(WIGAN, HTTP_IF_MODIFIED_SINCE=modified).status_code == 200


def test_a_version_never_changes_so_its_etag_stays(admin_api):
    path = WIGAN + "versions/1/"
    first = admin_api.get(path)
    assert first.status_code == 200
    assert admin_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert admin_api.get(path)["ETag"] == first["ETag"]
    assert admin_api.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_versions_targets_read_as_the_pages_show_them(admin_api):
    wigan = Agreement.objects.get(area__slug="wigan", round__slug="2008-11")
    version = wigan.signed_version
    shown = version_target_presentations(wigan, version.content).all
    targets = admin_api.get(WIGAN + f"versions/{version.number}/targets/").json()
    assert [t["key"] for t in targets] == [p.key for p in shown]
    for item, presentation in zip(targets, shown, strict=True):
        assert item["baseline"]["text"] == presentation.baseline_text
        assert [y["text"] for y in item["years"]] == [y.text for y in presentation.years]
        assert [y["value"] for y in item["years"]] == [y.value for y in presentation.years]
        assert item["status_label"] == presentation.status_label
        assert item["caveats"] == presentation.caveats
    designated = admin_api.get(WIGAN + f"versions/{version.number}/targets/?kind=designated")
    assert {t["kind"] for t in designated.json()} == {"designated"}


def test_the_change_feed_lists_what_changed_after_a_moment(admin_api):
    before = timezone.now()
    assert admin_api.get("/api/v1/changes/", {"since": before.isoformat()}).json()["changes"] == []
    cumbria = Agreement.objects.get(area__slug="cumbria", round__slug="2008-11")
    VersionFactory(agreement=cumbria)
    feed = admin_api.get("/api/v1/changes/", {"since": before.isoformat()}).json()
    # The new version, and the agreement whose latest version it now is.
    assert [(c["type"], c["area"], c["version"]) for c in feed["changes"]] == [
        ("version", "cumbria", 1),
        ("agreement", "cumbria", None),
    ]
    assert feed["has_more"] is False
    # Polling from the answer's next_since gives nothing again.
    later = admin_api.get("/api/v1/changes/", {"since": feed["next_since"]}).json()
    assert later["changes"] == []


def test_the_change_feed_shows_only_what_the_reader_may_see(coordinator2):
    before = timezone.now()
    cumbria = Agreement.objects.get(area__slug="cumbria", round__slug="2008-11")
    VersionFactory(agreement=cumbria)
    feed = ApiClient(personal_secret(coordinator2)).get(
        "/api/v1/changes/", {"since": before.isoformat()}
    )
    assert feed.json()["changes"] == []


@pytest.mark.parametrize("since", ["", "yesterday", "2008-13-45T00:00:00Z"])
def test_the_change_feed_refuses_a_moment_it_cannot_read(admin_api, since):
    response = admin_api.get("/api/v1/changes/", {"since": since})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "since" in response.json()["errors"]


@pytest.mark.parametrize(
    ("query", "areas"),
    [
        ({"stage": "signed"}, {"wigan"}),
        ({"stage": "in_review", "go": "go-north-west"}, {"lancashire"}),
        ({"area": "leeds"}, {"leeds"}),
        ({"go": "go-yorkshire-and-the-humber"}, {"leeds"}),
        ({"round": "2005-pilots"}, set()),
        ({"indicator": "NI 56", "stage": "signed"}, {"wigan"}),
        ({"ons_code": "E08000010"}, {"wigan"}),
    ],
)
def test_agreements_filter(admin_api, fresh_agreement, query, areas):
    response = admin_api.get("/api/v1/agreements/", query)
    assert response.status_code == 200
    assert {a["area"] for a in response.json()["results"]} == areas


def test_a_filter_value_it_cannot_read_answers_400_with_the_reason(admin_api):
    response = admin_api.get("/api/v1/agreements/", {"stage": "finished"})
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Bad Request" and "stage" in body["errors"]
    assert admin_api.get("/api/v1/agreements/", {"changed_since": "soon"}).status_code == 400


def test_changed_since_keeps_only_agreements_changed_after(admin_api, fresh_agreement):
    moment = timezone.now()
    Agreement.objects.filter(area__slug="leeds").update(updated_at=moment + dt.timedelta(seconds=5))
    response = admin_api.get("/api/v1/agreements/", {"changed_since": moment.isoformat()})
    assert {a["area"] for a in response.json()["results"]} == {"leeds"}


def test_cursor_pagination_walks_every_indicator_once(admin_api):
    seen, url = [], "/api/v1/indicators/?page_size=40"
    while url:
        page = admin_api.get(url).json()
        seen += [item["code"] for item in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 198
    assert admin_api.get("/api/v1/indicators/", {"cursor": "garbage"}).status_code == 404


def test_the_register_filters_and_searches(admin_api):
    everything = admin_api.get("/api/v1/register/").json()["results"]
    assert {r["reference"] for r in everything} == {"LANCASHIRE-FF1", "MANCHESTER-FF1"}
    refused = admin_api.get("/api/v1/register/", {"outcome": "refused"}).json()["results"]
    assert [r["reference"] for r in refused] == ["MANCHESTER-FF1"]
    found = admin_api.get("/api/v1/register/", {"q": "Connexions pooling"}).json()["results"]
    assert [r["reference"] for r in found] == ["LANCASHIRE-FF1"]


def test_the_dataset_csv_keeps_text_a_spreadsheet_would_run_as_text():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("-4.5") == "-4.5"
    assert _cell(True) == "yes"


def test_the_dataset_sends_last_modified_and_answers_304(admin_api):
    path = "/api/v1/rounds/2008-11/agreed-targets/"
    first = admin_api.get(path)
    last_signed = (
        Agreement.objects.filter(round__slug="2008-11", signed_version__isnull=False)
        .order_by("-signed_at")
        .values_list("signed_at", flat=True)
        .first()
    )
    assert first["Last-Modified"] == http_date(last_signed.timestamp())
    assert admin_api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    csv = admin_api.get(path, {"format": "csv"})
    assert csv["Content-Disposition"] == 'attachment; filename="agreed-targets-2008-11.csv"'
    assert csv["ETag"] != first["ETag"]


def test_the_documentation_page_runs_no_inline_script_and_serves_its_own_assets(coordinator):
    client = Client()
    client.force_login(coordinator)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and " style=" not in html
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # Every endpoint of the schema is documented on the page, drawn on the server.
    schema = Client()
    schema.force_login(coordinator)
    paths = [
        line.strip().rstrip(":")
        for line in schema.get("/api/v1/schema/").content.decode().splitlines()
        if line.startswith("  /api/v1/")
    ]
    assert len(paths) >= 18
    for path in paths:
        assert f"<code>GET {path}</code>" in html, path
    assert 'href="/api/v1/schema/"' in html


def test_the_documentation_page_needs_a_person_signed_in(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]
