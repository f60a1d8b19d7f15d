"""The annual review pages: the national team's years, an agreement's review, the outturn
form, the CSV import, and the fragments on the overview, amendment and dashboards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Agreement
from performance import services
from performance.models import AnnualReview, Outturn
from performance.selectors import latest_outturns_by_key, review_targets
from tests.performance.conftest import record

ROUND = "/rounds/2008-11/annual-review/"
REVIEW = "/agreements/2008-11/wigan/annual-review/2008/"


def _body(response) -> str:
    return response.content.decode()


# --- The national team's page ---------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "partner", "negotiator", "official"])
def test_only_the_national_team_sees_and_opens_reviews(client, users_by_role, who):
    client.force_login(users_by_role[who])
    assert client.get(ROUND).status_code == 404
    assert client.post(ROUND + "2008/open/").status_code == 404
    assert not AnnualReview.objects.exists()


def test_the_national_team_opens_a_year_once_and_closes_it(client, admin_user):
    client.force_login(admin_user)
    page = _body(client.get(ROUND))
    assert "2008/09" in page and "2010/11" in page and "Not opened" in page
    assert client.get(ROUND + "2008/open/").status_code == 405  # POST only
    response = client.post(ROUND + "2008/open/", follow=True)
    assert "The annual review of 2008/09 is open" in _body(response)
    response = client.post(ROUND + "2008/open/", follow=True)
    assert "The annual review of 2008/09 is already open." in _body(response)
    assert AnnualReview.objects.get().is_open
    client.post(ROUND + "2008/close/")
    assert not AnnualReview.objects.get().is_open
    assert client.post(ROUND + "2014/open/").status_code == 404


# --- An agreement's review ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("wigan_coordinator", 200),
        ("negotiator", 200),  # Wigan's GO
        ("admin_user", 200),
        ("coordinator", 404),  # Cumbria's
        ("partner", 404),
        ("official", 404),  # the department has not been referred Wigan's agreement
    ],
)
def test_the_review_is_read_as_the_agreement_is(client, request, review, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(REVIEW).status_code == status
    assert client.get(REVIEW.replace("2008/", "")).status_code == status


def test_an_agreement_not_signed_has_no_review(client, coordinator, review):
    client.force_login(coordinator)
    assert client.get("/agreements/2008-11/cumbria/annual-review/2008/").status_code == 404


def test_a_year_not_opened_answers_404(client, wigan_coordinator, review):
    client.force_login(wigan_coordinator)
    assert client.get(REVIEW.replace("2008", "2009")).status_code == 404


def test_the_review_lists_each_target_with_trajectory_outturn_and_status(
    client, signed, review, wigan_coordinator, negotiator
):
    record(signed, "NI 120", "700", review, wigan_coordinator)  # lower is better: 705
    record(signed, "NI 56", "10.5", review, wigan_coordinator)  # lower is better: 10.0
    client.force_login(negotiator)
    page = _body(client.get(REVIEW))
    assert "Annual review 2008/09" in page
    assert page.count("On track</strong>") == 1 and page.count("Off track</strong>") == 1
    assert "APS 2008/09, ONS" in page and "705" in page
    assert "Record" not in page  # the GO reads, the coordinator records
    client.force_login(wigan_coordinator)
    assert "Record<span" in _body(client.get(REVIEW))


def test_trajectory_and_outturn_are_shown_as_typed_with_the_targets_units(
    client, signed, review, wigan_coordinator
):
    target = signed.targets.get(indicator__code="NI 120")
    signed.targets.filter(pk=target.pk).update(
        yearly_values=["78.0", "76.5", "75"], units="deaths per 100,000"
    )
    record(signed, "NI 120", "77.50", review, wigan_coordinator)
    client.force_login(wigan_coordinator)
    row = _body(client.get(REVIEW)).split(f'data-testid="target-{target.pk}"')[1]
    row = row.split("</tr>")[0]
    assert "78.0 deaths per 100,000" in row and "77.50 deaths per 100,000" in row
    form = _body(client.get(f"{REVIEW}targets/{target.pk}/"))
    assert "78.0 deaths per 100,000" in form
    page = _body(client.get(f"/agreements/2008-11/wigan/targets/{target.pk}/"))
    years = page.split('data-testid="target-outturns"')[1].split("</table>")[0]
    assert "78.0 deaths per 100,000" in years and "77.50 deaths per 100,000" in years
    assert "76.5 deaths per 100,000" in years
    # The amendment's latest outturns read the same.
    assert latest_outturns_by_key(signed)["NI 120"].value == "77.50 deaths per 100,000"


def test_the_coordinator_records_an_outturn_by_form(client, signed, review, wigan_coordinator):
    target = signed.targets.get(indicator__code="NI 120")
    url = f"{REVIEW}targets/{target.pk}/"
    client.force_login(wigan_coordinator)
    assert "Trajectory for 2008/09" in _body(client.get(url))
    response = client.post(
        url,
        {
            "value": "698.0",
            "measured_on_0": "30",
            "measured_on_1": "6",
            "measured_on_2": "2009",
            "source": "APS 2008/09, ONS",
        },
    )
    assert response.status_code == 302 and response.url == REVIEW
    outturn = Outturn.objects.get(target=target)
    assert (outturn.value, outturn.places, outturn.year_index) == (Decimal("698"), 1, 0)
    assert "698.0" in _body(client.get(url))


def test_the_outturn_form_shows_its_errors(client, signed, review, wigan_coordinator):
    target = signed.targets.get(indicator__code="NI 120")
    client.force_login(wigan_coordinator)
    response = client.post(
        f"{REVIEW}targets/{target.pk}/",
        {"value": "lots", "measured_on_0": "31", "measured_on_1": "2", "measured_on_2": "2009"},
    )
    page = _body(response)
    assert response.status_code == 200 and 'class="govuk-error-summary"' in page
    assert "The outturn must be a number" in page and "Say where the figure comes from" in page
    assert not Outturn.objects.exists()


def test_a_stale_edit_shows_the_conflict_and_saves_nothing(
    client, signed, review, wigan_coordinator
):
    outturn = record(signed, "NI 120", "700", review, wigan_coordinator)
    record(signed, "NI 120", "701", review, wigan_coordinator)
    client.force_login(wigan_coordinator)
    response = client.post(
        f"{REVIEW}targets/{outturn.target_id}/",
        {
            "value": "650",
            "measured_on_0": "30",
            "measured_on_1": "6",
            "measured_on_2": "2009",
            "source": "Mine",
            "version": outturn.version,
        },
    )
    assert response.status_code == 409
    assert "Someone else changed this" in _body(response) and "701" in _body(response)
    assert Outturn.objects.get().value == Decimal("701")


@pytest.mark.parametrize("who", ["negotiator", "admin_user", "coordinator"])
def test_only_the_areas_coordinator_reaches_the_form_and_import(
    client, request, signed, review, who
):
    target = signed.targets.get(indicator__code="NI 120")
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"{REVIEW}targets/{target.pk}/").status_code == 404
    assert client.get(f"{REVIEW}import/").status_code == 404
    assert client.get(f"{REVIEW}import/template.csv").status_code == 404


def test_a_closed_review_takes_no_outturns(client, signed, review, wigan_coordinator, admin_user):
    services.annual_review_close(review=review, actor=admin_user)
    target = signed.targets.get(indicator__code="NI 120")
    client.force_login(wigan_coordinator)
    response = client.post(
        f"{REVIEW}targets/{target.pk}/", {"value": "1", "source": "x"}, follow=True
    )
    assert "is closed" in _body(response)
    assert not Outturn.objects.exists()


# --- CSV import ----------------------------------------------------------------------


def _upload(client, text: str):
    return client.post(
        f"{REVIEW}import/",
        {"file": SimpleUploadedFile("outturns.csv", text.encode(), content_type="text/csv")},
    )


def test_outturns_are_imported_from_the_template(client, signed, review, wigan_coordinator):
    client.force_login(wigan_coordinator)
    template = _body(client.get(f"{REVIEW}import/template.csv"))
    assert template.splitlines()[0] == "target,value,date,source,note"
    assert "NI 120" in template
    response = _upload(
        client,
        "target,value,date,source,note\n"
        'NI 120,703,2009-06-30,"APS 2008/09, ONS",\n'
        "ni56,9.75,2009-05-01,School census,Provisional\n"
        "NI 117,,,,\n",  # no figure yet: passed over
    )
    assert response.status_code == 302
    values = dict(Outturn.objects.values_list("target__indicator__code", "value"))
    assert values == {"NI 120": Decimal("703"), "NI 56": Decimal("9.75")}
    assert Outturn.objects.get(target__indicator__code="NI 56").places == 2


def test_a_file_with_a_bad_row_imports_nothing(client, signed, review, wigan_coordinator):
    client.force_login(wigan_coordinator)
    response = _upload(
        client,
        "target,value,date,source\n"
        "NI 120,703,2009-06-30,APS\n"
        "NI 56,ten,2009-13-01,\n"
        "NI 999,1,2009-01-01,X\n"
        "NI 120,704,2009-06-30,APS\n",
    )
    page = _body(response)
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in page and "Nothing was imported" in page
    assert "must be a number" in page and "must be a date" in page
    assert "NI 999 is not a target in this review" in page and "also on row 2" in page
    assert not Outturn.objects.exists()


def test_a_file_without_the_columns_is_refused(client, review, wigan_coordinator):
    client.force_login(wigan_coordinator)
    page = _body(_upload(client, "code,figure\nNI 120,5\n"))
    assert "This column is missing" in page and not Outturn.objects.exists()


# --- On other pages ---------------------------------------------------------------------


def test_the_overview_and_target_page_show_the_counts(
    client, signed, review, wigan_coordinator, negotiator
):
    record(signed, "NI 120", "700", review, wigan_coordinator)
    client.force_login(negotiator)
    page = _body(client.get("/agreements/2008-11/wigan/"))
    assert 'data-testid="annual-review-summary"' in page
    assert '<dd class="govuk-summary-list__value" data-testid="on-track">1</dd>' in page


def test_an_unsigned_agreement_shows_no_review(client, coordinator, review):
    client.force_login(coordinator)
    assert "annual-review-summary" not in _body(client.get("/agreements/2008-11/cumbria/"))


def test_the_dashboards_count_targets_on_and_off_track_by_government_office(
    client, signed, review, wigan_coordinator, admin_user, negotiator
):
    record(signed, "NI 120", "700", review, wigan_coordinator)  # on track
    record(signed, "NI 56", "10.5", review, wigan_coordinator)  # off track
    expected = len(review_targets(signed, review))  # statutory ones without values are not
    # GO North West's other signed agreement, Bolton's (being amended), has its targets
    # reviewed too, none recorded.
    bolton = len(review_targets(Agreement.objects.get(area__name="Bolton"), review))
    assert expected >= 2 and bolton >= 1
    client.force_login(admin_user)
    page = _body(client.get("/dashboards/"))
    row = page.split('data-testid="track-go-north-west"')[1].split("</tr>")[0]
    cells = [cell.split("<")[0] for cell in row.split('numeric">')[1:]]
    total = expected + bolton
    assert cells == ["1", "1", str(total - 2), str(total)]
    other = page.split('data-testid="track-go-london"')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in other.split('numeric">')[1:]] == ["0", "0", "0", "0"]
    assert "Open or close the annual reviews" in page
    client.force_login(negotiator)
    page = _body(client.get("/dashboards/go-north-west/"))
    assert (
        "/dashboards/go-north-west/on-track/?round=2008-11" in page and "Open or close" not in page
    )
    page = _body(client.get("/dashboards/go-north-west/on-track/?round=2008-11"))
    row = page.split('data-testid="track-wigan"')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('numeric">')[1:]] == [
        "1",
        "1",
        str(expected - 2),
        str(expected),
    ]
    row = page.split('data-testid="track-bolton"')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('numeric">')[1:]] == ["0", "0", *[str(bolton)] * 2]
    row = page.split('data-testid="track-go-north-west"')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('numeric">')[1:]] == cells


@pytest.mark.parametrize(
    ("who", "slug", "status"),
    [
        ("negotiator", "go-north-west", 200),
        ("negotiator", "go-london", 404),
        ("admin_user", "go-london", 200),
        ("coordinator", "go-north-west", 404),
        ("official", "go-north-west", 404),
    ],
)
def test_a_regions_on_track_page_is_seen_as_its_dashboard_is(
    db, client, request, who, slug, status
):
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/dashboards/{slug}/on-track/").status_code == status


def test_the_dashboard_says_when_no_review_is_open(client, admin_user):
    client.force_login(admin_user)
    assert 'data-testid="no-annual-review"' in _body(client.get("/dashboards/"))


def test_the_amendment_shows_the_latest_outturn_beside_each_changed_target(
    client, signed, review, wigan_coordinator, admin_user
):
    from agreements import services as agreement_services
    from agreements.stages import Action, Stage
    from negotiations import services as negotiation
    from signoff.services import round_refresh_open

    record(signed, "NI 120", "700", review, wigan_coordinator)
    round_refresh_open(round=signed.round, actor=admin_user)
    signed.round.refresh_from_db()
    negotiation.agreement_transition(
        agreement=signed,
        actor=wigan_coordinator,
        action=Action.START_AMENDMENT,
        expected_stage=Stage.SIGNED,
        comment="Refresh",
    )
    signed.refresh_from_db()
    target = signed.targets.get(indicator__code="NI 120")
    agreement_services.target_update(
        target=target,
        actor=wigan_coordinator,
        expected_version=target.version,
        fields=agreement_services.TargetFields(
            indicator=target.indicator,
            baseline_value=target.baseline_value,
            baseline_year=target.baseline_year,
            yearly_values=(Decimal("705"), Decimal("680"), Decimal("660")),
            polarity="lower",
            lead_partner=target.lead_partner,
        ),
        reason="New trajectory",
    )
    client.force_login(wigan_coordinator)
    page = _body(client.get("/agreements/2008-11/wigan/amendment/"))
    table = page.split('data-testid="amendment-outturns"')[1].split("</table>")[0]
    assert "Changed: NI 120" in table and "700 in 2008/09" in table and "On track" in table
