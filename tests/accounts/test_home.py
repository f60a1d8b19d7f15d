"""Home lists the most pressing work and the first agreements, however many there are."""

import datetime as dt
import re

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
