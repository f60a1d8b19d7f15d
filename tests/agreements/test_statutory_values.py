"""Statutory education targets: the national team loads DCSF's figures from a file, all of
them or none, with the file and the person in each target's history."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Target

URL = "/agreements/rounds/2008-11/statutory-targets/"
HEADER = ["area", "indicator code", "baseline", "2008/09", "2009/10", "2010/11"]


def upload(rows, name="dcsf-figures.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def leeds_statutory(fresh_agreement):
    return fresh_agreement.targets.filter(kind="statutory")


def test_an_admin_loads_figures_recorded_in_the_history(client, admin_user, leeds_statutory):
    client.force_login(admin_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "awaiting DCSF figures" in page.content.decode()
    response = client.post(
        URL,
        {
            "file": upload(
                [
                    ["Leeds", "NI 72", "48.0", "50.5", "52", "55.25"],
                    ["E08000035", "ni73", "70", "71", "", "73"],
                ]
            )
        },
    )
    assert response.status_code == 302
    ni72 = leeds_statutory.get(indicator__code="NI 72")
    assert ni72.statutory_state == Target.StatutoryState.SET
    assert (ni72.baseline_value, ni72.baseline_places) == (Decimal("48.0"), 1)
    assert ni72.yearly_values == ["50.5", "52", "55.25"]
    ni73 = leeds_statutory.get(indicator__code="NI 73")
    assert ni73.yearly_values == ["71", None, "73"]
    latest = ni72.history.first()
    assert latest.history_change_reason == (
        f"Statutory values loaded from dcsf-figures.csv by {admin_user.get_full_name()}"
    )
    assert latest.history_user == admin_user
    others = leeds_statutory.exclude(indicator__code__in=["NI 72", "NI 73"])
    assert set(others.values_list("statutory_state", flat=True)) == {"awaiting"}


def test_a_file_with_a_bad_row_saves_nothing_and_lists_the_problems(
    client, admin_user, leeds_statutory
):
    client.force_login(admin_user)
    response = client.post(
        URL,
        {
            "file": upload(
                [
                    ["leeds", "NI 72", "48", "50", "52", "55"],
                    ["Nowhere", "NI 72", "1", "2", "3", "4"],
                    ["Leeds", "NI 120", "1", "2", "3", "4"],
                    ["Leeds", "NI 73", "lots", "2", "3", "4"],
                ]
            )
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "The file has 3 problems. Nothing was saved." in page
    assert "Row 3, area: Nowhere is not an area with a" in page
    assert "Row 4, indicator code: NI 120 is not a statutory education target" in page
    assert "Row 5, baseline: must be a number" in page
    assert set(leeds_statutory.values_list("statutory_state", flat=True)) == {"awaiting"}
    assert not leeds_statutory.exclude(baseline_value=None).exists()


def test_a_target_twice_in_the_file_is_a_problem(client, admin_user, leeds_statutory):
    client.force_login(admin_user)
    response = client.post(
        URL,
        {
            "file": upload(
                [["Leeds", "NI 72", "48", "", "", ""], ["leeds", "NI 72", "49", "", "", ""]]
            )
        },
    )
    assert response.status_code == 400
    assert "also on row 2" in response.content.decode()


def test_the_statutory_note_is_kept_on_the_same_page(client, admin_user, round_2008):
    client.force_login(admin_user)
    response = client.post(
        URL, {"statutory_note": "Agreed with DCSF by June; figures follow.", "save_note": ""}
    )
    assert response.status_code == 302
    round_2008.refresh_from_db()
    assert round_2008.statutory_note == "Agreed with DCSF by June; figures follow."
    assert round_2008.history.first().history_change_reason == "Statutory note edited"


def test_the_round_admin_shows_the_statutory_note(client, admin_user, round_2008):
    client.force_login(admin_user)
    page = client.get(f"/data-admin/indicators/round/{round_2008.pk}/change/")
    assert 'name="statutory_note"' in page.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "negotiator", "official", "partner"])
def test_only_the_national_team_has_the_page(client, users_by_role, leeds_statutory, role):
    client.force_login(users_by_role[role])
    assert client.get(URL).status_code == 404
    response = client.post(URL, {"file": upload([["Leeds", "NI 72", "1", "2", "3", "4"]])})
    assert response.status_code == 404
    assert not leeds_statutory.filter(statutory_state="set").exists()
