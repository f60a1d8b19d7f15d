"""Where the figures show: the target page, the target form (htmx and without JavaScript),
the GO's review checklist, the compare page and the indicator page with its CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Area
from agreements.models import Agreement, Target
from agreements.services import signed_targets_record
from negotiations.models import Version
from tests.ambition.conftest import area_with_target, freeze
from tests.factories import AreaFactory, UserFactory


def _base(target: Target) -> str:
    agreement = target.agreement
    return f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"


@pytest.fixture
def peers(test_round, go_north, go_south):
    """NI 117 (lower is better) signed by four areas, and one north area's submitted draft."""
    signed = [
        area_with_target(test_round, "NI 117", 10, end, government_office=go)
        for end, go in ((8, go_north), (9, go_south), (7, go_south), (9.5, go_south))
    ]
    submitted = area_with_target(
        test_round, "NI 117", 10, 5, stage="in_review", government_office=go_north
    )
    return {"signed": signed, "submitted": submitted}


@pytest.fixture
def mine(test_round, go_north, peers):
    """Our area's agreement in GO review, proposing a rise where peers propose a fall."""
    return area_with_target(
        test_round, "NI 117", 10, 10.5, stage="in_review", government_office=go_north
    )


@pytest.mark.django_db
def test_the_target_page_shows_where_the_target_sits_among_signed_agreements(client, mine, peers):
    client.force_login(UserFactory(coordinator=True, area=mine.agreement.area))
    page = client.get(_base(mine) + f"targets/{mine.pk}/").content.decode()
    assert "How this compares" in page
    assert "A smaller improvement than 4 in 4 comparable areas." in page
    assert 'data-testid="ambition-national"' in page  # the strip, drawn on the server
    assert 'data-testid="ambition-national-marked"' in page
    assert "Bottom quarter." in page
    # The submitted draft of another area never reaches the locality.
    assert peers["submitted"].agreement.area.name not in page
    assert "Shown to the Government Office only" not in page
    assert "submitted, version" not in page


@pytest.mark.django_db
def test_the_go_sees_its_own_areas_submitted_versions_counted_in(client, mine, peers, go_north):
    client.force_login(UserFactory(negotiator=True, organisation=go_north))
    page = client.get(_base(mine) + f"targets/{mine.pk}/").content.decode()
    assert "A smaller improvement than 5 in 5 comparable areas." in page
    assert "Shown to the Government Office only" in page
    assert peers["submitted"].agreement.area.name in page


@pytest.mark.django_db
def test_fewer_than_three_other_areas_say_so(client, test_round, go_north):
    area_with_target(test_round, "NI 117", 10, 9, government_office=go_north)
    target = area_with_target(test_round, "NI 117", 10, 8, stage="drafting")
    client.force_login(UserFactory(coordinator=True, area=target.agreement.area))
    page = client.get(_base(target) + f"targets/{target.pk}/").content.decode()
    assert "Fewer than 3 other areas have a baseline and a target" in page
    assert "fewer than 3 other areas" in page  # the count of areas that chose it, too
    assert "<svg" not in page.split("How this compares")[1]


@pytest.mark.django_db
def test_typed_values_are_compared_with_htmx_and_without_javascript(client, mine, peers):
    coordinator = UserFactory(coordinator=True, area=mine.agreement.area)
    Agreement.objects.filter(pk=mine.agreement_id).update(stage="drafting")
    client.force_login(coordinator)
    form = client.get(_base(mine) + f"targets/{mine.pk}/edit/").content.decode()
    assert "Show how this compares" in form and 'data-hx-post="/ambition/' in form
    url = f"/ambition/{mine.agreement.round.slug}/{mine.agreement.area.slug}/compare/"
    typed = {
        "indicator": str(mine.indicator_id),
        "baseline_value": "10",
        "value_0": "9",
        "value_1": "7",
        "value_2": "4",
    }
    partial = client.post(url, typed, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert "A bigger improvement than 4 in 4 comparable areas." in partial
    assert "from 10 to 4, an improvement of 6" in partial
    whole = client.post(url + f"?target={mine.pk}", {**typed, "value_2": "11"})
    page = whole.content.decode()
    assert "<html" in page and "Nothing has been saved" in page
    assert "A smaller improvement than 4 in 4 comparable areas." in page
    mine.refresh_from_db()
    assert mine.yearly_values[-1] == "10.5"  # nothing saved
    # Rubbish typed is no number, not an error.
    rubbish = client.post(url, {**typed, "baseline_value": "lots"}, headers={"HX-Request": "1"})
    assert rubbish.status_code == 200
    assert "Type a baseline and a target" in rubbish.content.decode()


@pytest.mark.django_db
def test_someone_who_may_not_see_the_agreement_gets_404(client, mine):
    client.force_login(UserFactory(coordinator=True, area=AreaFactory()))
    url = f"/ambition/{mine.agreement.round.slug}/{mine.agreement.area.slug}/compare/"
    assert client.post(url, {"indicator": str(mine.indicator_id)}).status_code == 404


@pytest.mark.django_db
def test_the_review_checklist_lists_bottom_quartile_targets_under_ambition(client, mine, go_north):
    client.force_login(UserFactory(negotiator=True, organisation=go_north))
    page = client.get(_base(mine) + "negotiation/review/").content.decode()
    box = page.split('data-testid="ambition-bottom-quartile"')[1].split("</div>")[0]
    assert "NI 117" in box
    assert page.index("ambition_rating") < page.index("ambition-bottom-quartile")
    assert page.index("ambition-bottom-quartile") < page.index("rationale_rating")


@pytest.mark.django_db
def test_the_compare_page_places_changed_targets(client, mine, go_north):
    Target.objects.filter(pk=mine.pk).update(yearly_values=["", "", "6"])
    mine.agreement.refresh_from_db()
    freeze(mine.agreement, "in_review")
    client.force_login(UserFactory(negotiator=True, organisation=go_north))
    page = client.get(_base(mine) + "versions/compare/?from=1&to=2").content.decode()
    table = page.split('data-testid="ambition-changed"')[1].split("</table>")[0]
    assert "NI 117" in table and "Improvement of 4" in table


@pytest.mark.django_db
def test_the_indicator_page_lists_signed_targets_sortable_with_a_csv(client, mine, peers):
    client.force_login(UserFactory(official=True))
    url = f"/ambition/{mine.agreement.round.slug}/indicators/ni-117/"
    page = client.get(url + "?sort=target&order=asc").content.decode()
    names = [t.agreement.area.name for t in peers["signed"]]
    # Final targets 7, 8, 9, 9.5: ascending.
    order = [names[2], names[0], names[1], names[3]]
    positions = [page.index(name) for name in order]
    assert positions == sorted(positions)
    assert peers["submitted"].agreement.area.name not in page
    assert mine.agreement.area.name not in page
    response = client.get(url + "targets.csv?sort=baseline")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["area", "kind", "baseline"]
    assert rows[0][-3] == "improvement"
    assert len(rows) == 5
    by_area = {row[0]: row for row in rows[1:]}
    assert by_area[names[2]][3:6] == ["", "", "7"]
    assert by_area[names[2]][6] == "3"  # from 10 to 7: lower is better
    assert (
        client.get(f"/ambition/{mine.agreement.round.slug}/indicators/ni-999/").status_code == 404
    )


def _signed_areas(round_, count: int) -> None:
    """`count` areas with a signed agreement holding one NI 117 target, made directly."""
    for n in range(count):
        area = AreaFactory(tier=Area.Tier.COUNTY if n % 2 else Area.Tier.UNITARY)
        agreement = Agreement.objects.create(area=area, round=round_, stage="signed")
        version = Version.objects.create(
            agreement=agreement,
            number=1,
            content={
                "targets": [
                    {
                        "code": "NI 117",
                        "kind": "designated",
                        "baseline_value": "10",
                        "yearly_values": ["9", "8", str(7 - n % 5)],
                    }
                ]
            },
        )
        agreement.signed_version = version
        agreement.save(update_fields=["signed_version"])
        signed_targets_record(agreements=[agreement])  # as the sign-off's last signature


def _queries(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_figures_take_the_same_queries_for_5_and_150_areas(client, test_round, go_north):
    target = area_with_target(
        test_round, "NI 117", 10, 8, stage="in_review", government_office=go_north
    )
    coordinator = UserFactory(coordinator=True, area=target.agreement.area)
    negotiator = UserFactory(negotiator=True, organisation=go_north)
    pages = {
        "target": _base(target) + f"targets/{target.pk}/",
        "review": _base(target) + "negotiation/review/",
        "indicator": f"/ambition/{test_round.slug}/indicators/ni-117/",
    }
    viewers = {"target": coordinator, "review": negotiator, "indicator": coordinator}

    def count() -> dict[str, int]:
        found = {}
        for name, path in pages.items():
            client.force_login(viewers[name])
            found[name] = _queries(client, path)
        return found

    _signed_areas(test_round, 5)
    few = count()
    _signed_areas(test_round, 145)
    assert Agreement.objects.filter(round=test_round, stage="signed").count() == 150
    many = count()
    assert few == many
    client.force_login(coordinator)
    page = client.get(pages["target"]).content.decode()
    assert "in 150 comparable areas" in page
