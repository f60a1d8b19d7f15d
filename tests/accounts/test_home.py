"""Home lists the most pressing work and the first agreements, however many there are."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agreements.models import Agreement
from freedoms.models import FreedomRequest
from portal.views import HOME_LIST_LIMIT
from tests.factories import FreedomRequestFactory


def test_a_department_with_many_requests_sees_the_soonest_due_and_the_count(client, official):
    agreement = Agreement.objects.get(area__name="Cumbria")
    today = timezone.localdate()
    FreedomRequest.objects.bulk_create(
        FreedomRequestFactory.build(
            agreement=agreement,
            number=100 + i,
            title=f"Request {i:02d}",
            department=official.organisation,
            # Due dates run backwards, so the soonest due are the last made.
            due_on=today + dt.timedelta(days=40 - i),
        )
        for i in range(40)
    )
    waiting = FreedomRequest.objects.filter(
        department=official.organisation, state="with_department"
    ).count()
    client.force_login(official)
    body = client.get("/").content.decode()
    table = body.split('data-testid="your-work"')[1].split("<tbody")[1].split("</table>")[0]
    titles = list(dict.fromkeys(re.findall(r"Cumbria: (Request \d\d)", table)))
    assert table.count('<tr class="govuk-table__row">') == HOME_LIST_LIMIT
    # The soonest due first: request 39 is due tomorrow, 38 the day after...
    assert titles[:3] == ["Request 39", "Request 38", "Request 37"]
    assert "Request 00" not in table
    from portal.work import work_for

    assert f"most pressing of {waiting + len(work_for(official))} items" in body


def test_a_negotiator_of_a_large_region_sees_the_first_agreements_and_links_to_all(client, db):
    from accounts.models import Area, Organisation, Role, User

    london = Organisation.objects.get(slug="go-london")
    negotiator = User.objects.create_user(
        email="london.negotiator@example.org",
        password="a long enough password",
        full_name="Lou London",
        role=Role.NEGOTIATOR,
        organisation=london,
    )
    areas = Area.objects.filter(government_office=london)
    assert areas.count() > HOME_LIST_LIMIT  # the 33 London boroughs
    round_ = Agreement.objects.get(area__name="Cumbria").round
    Agreement.objects.bulk_create(Agreement(area=area, round=round_) for area in areas)
    client.force_login(negotiator)
    body = client.get("/").content.decode()
    listed = body.split('data-testid="home-agreements"')[1].split("<tbody")[1]
    assert listed.split("</table>")[0].count('<tr class="govuk-table__row">') == HOME_LIST_LIMIT
    assert f"See all {areas.count()} agreements" in body
    assert f"See all {areas.count()} areas" in body


def _row(body: str, table: str, area: str) -> str:
    """The row of a table of agreements that names the area."""
    rows = body.split(f'data-testid="{table}"')[1].split("</table>")[0].split("<tr")
    return next(row for row in rows if f">{area}, " in row or f">{area}</a>" in row)


def _cell(row: str, testid: str) -> str:
    return row.split(f'data-testid="{testid}">')[1].split("</td>")[0]


def test_a_go_negotiator_sees_whose_turn_and_the_next_milestone_of_each_agreement(
    client, negotiator
):
    client.force_login(negotiator)
    body = client.get("/").content.decode()
    # Cumbria's draft is still with the locality, past the date for its first draft.
    cumbria = _row(body, "home-agreements", "Cumbria")
    assert _cell(cumbria, "whose-turn") == "Cumbria (locality)"
    assert "First draft to Government Office" in _cell(cumbria, "next-milestone")
    assert 'data-testid="overdue">Overdue<' in cumbria
    # Lancashire's is with the GO, and its next milestone is still to come.
    lancashire = _row(body, "home-agreements", "Lancashire")
    assert _cell(lancashire, "whose-turn") == "GO North West"
    assert "Further draft" in _cell(lancashire, "next-milestone")
    assert "Overdue" not in lancashire
    # Manchester's waits on the departments it was referred to.
    manchester = _row(body, "home-agreements", "Manchester")
    assert _cell(manchester, "whose-turn").startswith("Departments: ")
    # The same words as the list of agreements, which draws them with the same code.
    listed = client.get("/agreements/").content.decode()
    for area in ("Cumbria", "Lancashire", "Manchester", "Blackpool"):
        home_row, list_row = (
            _row(body, "home-agreements", area),
            _row(listed, "agreement-table", area),
        )
        for testid in ("whose-turn", "next-milestone"):
            assert _cell(home_row, testid) == _cell(list_row, testid), (area, testid)


@pytest.mark.parametrize(
    ("role", "may_read"),
    [("negotiator", True), ("official", True), ("coordinator", False), ("partner", False)],
)
def test_home_links_to_the_negotiating_brief_for_those_who_may_read_it(
    client, request, role, may_read
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert ('data-testid="brief-link"' in body) is may_read
    assert user.has_perm("freedoms.see_brief") is may_read
    if may_read:
        url = re.search(r'data-testid="brief-link"><a class="govuk-link" href="([^"]+)"', body)[1]
        assert client.get(url).status_code == 200
