"""A Government Office's workload: the list of agreements with whose turn, next milestone
and overdue, filtered in the address, and areas shared out among its negotiators."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Area, Organisation, User
from agreements import services
from agreements.models import AreaAssignment, AreaAssignmentChange
from portal.work import work_for
from tests.factories import AgreementFactory, AreaFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def go_north_west() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.GOVERNMENT_OFFICE, slug="go-north-west")


def in_review_areas(count: int) -> list[Area]:
    """GO North West areas without an agreement yet, given one in GO review."""
    areas = list(
        Area.objects.filter(government_office=go_north_west(), agreements__isnull=True).order_by(
            "name"
        )[:count]
    )
    for area in areas:
        AgreementFactory(area=area, in_review=True)
    return areas


def get_forms(body: str) -> list[str]:
    return re.findall(r'<form[^>]*method="get".*?</form>', body, flags=re.S)


def test_the_go_filters_its_areas_to_overdue_and_with_us(client, negotiator):
    areas = in_review_areas(2)
    client.force_login(negotiator)
    response = client.get("/agreements/?overdue=yes&party=go")
    body = response.content.decode()
    names = {row[0].area.name for row in response.context["agreements"]}
    # Never submitted, these missed the first draft, due a fortnight ago in the demo.
    assert {area.name for area in areas} <= names
    # In GO review too, but its first draft came in: its next milestone is weeks away.
    assert "Lancashire" not in names
    assert "Manchester" not in names  # with the departments
    assert "Cumbria" not in names  # with the locality
    assert all(milestone.overdue for _, _, milestone, _ in response.context["agreements"])
    assert "<title>Agreements: overdue, with us – LAA Portal</title>" in body
    assert "Clear filters" in body
    # The filters are a plain GET form: no token in the address.
    assert get_forms(body) and all("csrfmiddlewaretoken" not in form for form in get_forms(body))


def test_a_negotiator_assigns_two_areas_to_a_colleague_who_finds_them_in_their_work(
    client, negotiator
):
    areas = in_review_areas(2)
    colleague = UserFactory(negotiator=True, organisation=go_north_west(), full_name="Sam Second")
    client.force_login(negotiator)
    response = client.post(
        "/agreements/assign/",
        {
            "area": [area.pk for area in areas],
            "negotiator": colleague.pk,
            "next": "/agreements/?overdue=yes&party=go",
        },
    )
    assert response.status_code == 302
    assert response.url == "/agreements/?overdue=yes&party=go"
    assert set(
        AreaAssignment.objects.filter(negotiator=colleague).values_list("area", flat=True)
    ) == {area.pk for area in areas}
    theirs = {item.agreement for item in work_for(colleague)}
    assert {area.name for area in areas} <= theirs
    # They leave the assigning negotiator's work; the rest of the GO's stays.
    mine = {item.agreement for item in work_for(negotiator)}
    assert not ({area.name for area in areas} & mine) and "Lancashire" in mine
    # The list filters by negotiator and names them in its title.
    listed = client.get(f"/agreements/?assigned={colleague.pk}")
    assert {row[0].area.name for row in listed.context["agreements"]} == {a.name for a in areas}
    assert "Agreements: assigned to Sam Second" in listed.content.decode()


def test_reassigning_an_area_is_logged_from_whom_to_whom_by_whom(client, negotiator):
    area = in_review_areas(1)[0]
    first = UserFactory(negotiator=True, organisation=go_north_west(), full_name="First One")
    second = UserFactory(negotiator=True, organisation=go_north_west(), full_name="Second Two")
    assert services.areas_assign(areas=[area], negotiator=first, actor=negotiator) == 1
    assert services.areas_assign(areas=[area], negotiator=second, actor=negotiator) == 1
    assert services.areas_assign(areas=[area], negotiator=second, actor=negotiator) == 0
    changes = list(AreaAssignmentChange.objects.filter(area=area).order_by("created_at", "pk"))
    assert [(c.from_negotiator, c.to_negotiator, c.actor) for c in changes] == [
        (None, first, negotiator),
        (first, second, negotiator),
    ]
    client.force_login(negotiator)
    page = client.get("/agreements/assign/").content.decode()
    assert f"{area.name} reassigned from First One to Second Two by" in page


def test_areas_and_colleagues_of_another_go_are_out_of_reach(client, negotiator):
    own = in_review_areas(1)[0]
    elsewhere = AreaFactory()
    stranger = UserFactory(negotiator=True, area=elsewhere)
    client.force_login(negotiator)
    # Another GO's area answers 404, as everything out of reach does.
    response = client.post(
        "/agreements/assign/", {"area": [elsewhere.pk], "negotiator": negotiator.pk}
    )
    assert response.status_code == 404
    # A negotiator of another GO is not a colleague: the form says so.
    response = client.post("/agreements/assign/", {"area": [own.pk], "negotiator": stranger.pk})
    assert response.status_code == 400
    assert "Choose a negotiator of your Government Office" in response.content.decode()
    # Nothing chosen: an error summary, not a 500.
    response = client.post("/agreements/assign/", {"negotiator": negotiator.pk})
    assert response.status_code == 400
    assert "Choose at least one area to assign" in response.content.decode()
    assert not AreaAssignment.objects.exists()


@pytest.mark.parametrize("email", ["official@example.org", "coordinator@example.org"])
def test_only_negotiators_reach_the_assignment_page(client, email):
    client.force_login(User.objects.get(email=email))
    assert client.get("/agreements/assign/").status_code == 404
    area = Area.objects.get(name="Cumbria")
    response = client.post("/agreements/assign/", {"area": [area.pk], "negotiator": 1})
    assert response.status_code == 404


def test_the_filtered_list_takes_the_same_queries_however_many_agreements(client):
    office = OrganisationFactory(government_office=True)
    negotiator = UserFactory(negotiator=True, organisation=office)
    colleague = UserFactory(negotiator=True, organisation=office)

    def grow(count: int) -> None:
        for _ in range(count):
            area = AreaFactory(government_office=office)
            AgreementFactory(area=area, in_review=True)
            services.areas_assign(areas=[area], negotiator=colleague, actor=negotiator)

    client.force_login(negotiator)
    path = f"/agreements/?overdue=yes&party=go&assigned={colleague.pk}"

    def queries() -> tuple[int, int]:
        client.get(path)  # the session settles
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), len(response.context["agreements"])

    grow(2)
    small, listed = queries()
    assert listed == 2
    grow(12)
    large, listed = queries()
    assert listed == 14
    assert small == large
