"""The dashboard pages: who may open them, what they show without JavaScript, the round
picker, the subscription form and the PDF download."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from dashboards.models import Subscription

NATIONAL = "/dashboards/"
NORTH_WEST = "/dashboards/go-north-west/"
LONDON = "/dashboards/go-london/"


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        ("admin_user", NATIONAL, 200),
        ("admin_user", NORTH_WEST, 200),
        ("admin_user", LONDON, 200),
        ("negotiator", NORTH_WEST, 200),
        ("negotiator", NATIONAL, 404),
        ("negotiator", LONDON, 404),
        ("coordinator", NATIONAL, 404),
        ("coordinator", NORTH_WEST, 404),
        ("partner", NATIONAL, 404),
        ("partner", NORTH_WEST, 404),
        ("official", NATIONAL, 404),
        ("official", NORTH_WEST, 404),
        ("admin_user", "/dashboards/no-such-office/", 404),
        ("admin_user", NATIONAL + "summary.pdf", 200),
        ("negotiator", NORTH_WEST + "summary.pdf", 200),
        ("negotiator", LONDON + "summary.pdf", 404),
        ("negotiator", NATIONAL + "summary.pdf", 404),
        ("coordinator", NORTH_WEST + "summary.pdf", 404),
        ("official", NATIONAL + "summary.pdf", 404),
    ],
)
def test_who_may_open_each_dashboard(db, client, request, role, path, status):
    # `db` named here: the role fixture is looked up by name, which pytest-django cannot see
    # when it orders database tests before those that empty the tables.
    client.force_login(request.getfixturevalue(role))
    assert client.get(path).status_code == status


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(NATIONAL)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_navigation_leads_admins_and_negotiators_to_their_dashboard(
    client, admin_user, negotiator, coordinator
):
    client.force_login(admin_user)
    assert f'href="{NATIONAL}"' in client.get("/").text
    client.force_login(negotiator)
    assert f'href="{NORTH_WEST}"' in client.get("/").text
    client.force_login(coordinator)
    assert "/dashboards/" not in client.get("/").text


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S)]


SVG = "{http://www.w3.org/2000/svg}"


def test_charts_are_server_drawn_svg_with_titles_and_their_tables(client, admin_user):
    client.force_login(admin_user)
    html = client.get(NATIONAL).text
    charts = {svg.get("data-testid"): svg for svg in _svgs(html)}
    assert set(charts) == {"chart-stages", "chart-outcomes", "chart-indicators"}
    for svg in charts.values():
        assert svg.get("role") == "img"
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text
        assert title.get("id") in svg.get("aria-labelledby").split()
    stages = charts["chart-stages"]
    assert stages.find(f"{SVG}title").text.startswith("Agreements by stage and Government Office")
    labels = [t.text for t in stages.iter(f"{SVG}text")]
    assert "GO North West" in labels and "GO London" in labels
    assert "Returned for revision" in labels  # the legend names every stage
    # Each stage's segment has its own pattern, so colour is not the only difference.
    assert len(stages.findall(f".//{SVG}pattern")) == 8
    segments = [r for r in stages.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert {r.find(f"{SVG}title").text for r in segments} >= {"Drafting: 2", "Signed: 1"}
    outcome_labels = [t.text for t in charts["chart-outcomes"].iter(f"{SVG}text")]
    assert "Refused" in outcome_labels
    indicator_labels = [t.text for t in charts["chart-indicators"].iter(f"{SVG}text")]
    assert any(label.startswith("NI 120 ") for label in indicator_labels)
    # Every chart is paired with the table of its data.
    for table in ["stages-table", "outcomes-table", "indicators-table"]:
        assert f'data-testid="{table}"' in html
    assert html.count("<caption") >= 7


def test_the_page_keeps_to_the_content_security_policy(client, admin_user):
    client.force_login(admin_user)
    html = client.get(NATIONAL).text
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # no inline script


def test_regional_dashboard_shows_its_agreements_with_links(client, negotiator):
    client.force_login(negotiator)
    html = client.get(NORTH_WEST).text
    assert "GO North West status" in html
    assert 'href="/agreements/2008-11/lancashire/negotiation/"' in html
    assert "Departments: DCSF, DH" in html
    assert "GO London" not in html
    assert 'data-testid="agreements-table"' in html and 'data-testid="overdue-table"' in html
    assert 'href="/dashboards/go-north-west/summary.pdf?round=2008-11"' in html


def test_national_dashboard_links_to_every_region(client, admin_user):
    client.force_login(admin_user)
    html = client.get(NATIONAL).text
    assert html.count('href="/dashboards/go-') >= 27  # the list and two tables
    assert 'data-testid="turns-table"' in html
    # Agreements are listed one by one on the regional dashboards, not here.
    assert 'data-testid="agreements-table"' not in html


def test_the_round_picker_sends_no_token_in_the_address(client, admin_user):
    client.force_login(admin_user)
    html = client.get(NATIONAL).text
    picker = re.search(r'<form method="get".*?</form>', html, re.S).group(0)
    assert 'name="round"' in picker
    assert "csrfmiddlewaretoken" not in picker
    # The page's POST forms (the weekly summary, signing out) keep theirs.
    for form in re.findall(r'<form method="post".*?</form>', html, re.S):
        assert "csrfmiddlewaretoken" in form


def test_the_round_picker_shows_another_round(client, admin_user):
    client.force_login(admin_user)
    response = client.get(NATIONAL, {"round": "2005-pilots"})
    assert response.status_code == 200
    assert "Local Area Agreement pilots 2005" in response.text
    assert "No designated target yet." in response.text


def test_an_unknown_round_gets_an_error_summary_and_the_current_round(client, admin_user):
    client.force_login(admin_user)
    response = client.get(NATIONAL, {"round": "1999"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "Choose a round from the list" in response.text
    assert "<title>Error: " in response.text
    assert "Local Area Agreements 2008-11" in response.text


def test_subscribing_and_unsubscribing(client, negotiator, north_west):
    client.force_login(negotiator)
    response = client.post(NORTH_WEST, {})
    assert response.status_code == 200
    assert "Choose whether to get this summary by e-mail every Monday" in response.text
    assert "govuk-error-summary" in response.text
    assert not Subscription.objects.filter(user=negotiator).exists()

    response = client.post(NORTH_WEST, {"email_me": "yes"})
    assert response.status_code == 302 and response["Location"] == NORTH_WEST
    assert Subscription.objects.get(user=negotiator).government_office == north_west
    client.post(NORTH_WEST, {"email_me": "yes"})  # again: still one
    assert Subscription.objects.filter(user=negotiator).count() == 1
    assert "You get it now." in client.get(NORTH_WEST).text

    client.post(NORTH_WEST, {"email_me": "no"})
    assert not Subscription.objects.filter(user=negotiator).exists()


def test_nobody_subscribes_to_a_dashboard_they_may_not_see(client, negotiator, official):
    client.force_login(negotiator)
    assert client.post(LONDON, {"email_me": "yes"}).status_code == 404
    assert client.post(NATIONAL, {"email_me": "yes"}).status_code == 404
    client.force_login(official)
    assert client.post(NORTH_WEST, {"email_me": "yes"}).status_code == 404
    assert not Subscription.objects.exists()


def test_an_admin_subscribes_to_the_national_summary_and_a_region(client, admin_user):
    client.force_login(admin_user)
    client.post(NATIONAL, {"email_me": "yes"})
    client.post(LONDON, {"email_me": "yes"})
    scopes = set(
        Subscription.objects.filter(user=admin_user).values_list(
            "government_office__slug", flat=True
        )
    )
    assert scopes == {None, "go-london"}


def test_the_summary_downloads_as_a_pdf(client, negotiator):
    client.force_login(negotiator)
    response = client.get(reverse("dashboards:region_pdf", args=["go-north-west"]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="laa-status-go-north-west-2008-11-' in response["Content-Disposition"]


def test_the_page_takes_a_fixed_number_of_queries(client, admin_user, round_2008):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from agreements.services import agreements_open_for_round

    client.force_login(admin_user)
    client.get(NATIONAL)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(NATIONAL).status_code == 200
        return len(captured)

    few = queries()  # the demo's handful of agreements
    assert agreements_open_for_round(round=round_2008, actor=admin_user) > 100
    assert queries() == few <= 30  # every area's agreement open: not one query more
