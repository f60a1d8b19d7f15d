"""The agreements list: filters, pages of fifty, whose turn, and a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Area, Organisation
from agreements.models import Agreement
from agreements.stages import Stage
from negotiations.models import Referral, Version


def areas_listed(page) -> list[str]:
    table = page.content.decode().split('data-testid="agreement-table"')[1].split("</table>")[0]
    return re.findall(r'<a class="govuk-link" href="/agreements/[^"]+">([^<]+)</a>', table)


@pytest.fixture
def every_area_open(admin_user, round_2008):
    """An agreement for each of the 150 areas, the stages spread over every stage."""
    unopened = Area.objects.exclude(agreements__round=round_2008)
    Agreement.objects.bulk_create(Agreement(area=area, round=round_2008) for area in unopened)
    stages = list(Stage.values)
    for i, agreement in enumerate(
        Agreement.objects.filter(round=round_2008, stage=Stage.DRAFTING).order_by("area__name")
    ):
        Agreement.objects.filter(pk=agreement.pk).update(stage=stages[i % len(stages)])
    return Agreement.objects.filter(round=round_2008)


def test_the_list_comes_in_pages_of_fifty_with_a_count(client, admin_user, every_area_open):
    client.force_login(admin_user)
    first = client.get("/agreements/")
    body = first.content.decode()
    assert len(areas_listed(first)) == 50
    assert "Showing 1 to 50 of 150 agreements" in body
    assert 'class="govuk-pagination"' in body
    third = client.get("/agreements/?page=3")
    assert len(areas_listed(third)) == 50
    assert "Showing 101 to 150 of 150 agreements" in third.content.decode()
    # Every area once across the pages, in name order.
    names = areas_listed(first) + areas_listed(client.get("/agreements/?page=2"))
    names += areas_listed(third)
    assert len(set(names)) == 150 and names == sorted(names)
    # A page beyond the last shows the last; nonsense shows the first.
    assert areas_listed(client.get("/agreements/?page=99")) == areas_listed(third)
    assert areas_listed(client.get("/agreements/?page=x")) == areas_listed(first)


def test_filters_narrow_the_list_and_pages_keep_them(client, admin_user, every_area_open):
    client.force_login(admin_user)
    referred = set(
        every_area_open.filter(stage=Stage.REFERRED).values_list("area__name", flat=True)
    )
    page = client.get("/agreements/?stage=referred")
    assert set(areas_listed(page)) == referred
    assert (
        "<title>Agreements: referred to departments – LAA Portal</title>" in page.content.decode()
    )

    north_west = set(
        every_area_open.filter(area__government_office__slug="go-north-west").values_list(
            "area__name", flat=True
        )
    )
    assert set(areas_listed(client.get("/agreements/?go=go-north-west"))) == north_west

    # Whose court: the locality holds drafts and returned drafts.
    with_locality = set(
        every_area_open.filter(stage__in=[Stage.DRAFTING, Stage.RETURNED]).values_list(
            "area__name", flat=True
        )
    )
    assert set(areas_listed(client.get("/agreements/?party=locality"))) == with_locality

    assert areas_listed(client.get("/agreements/?q=cumb")) == ["Cumbria"]
    empty = client.get("/agreements/?q=nowhere-at-all")
    assert "No agreement matches these filters." in empty.content.decode()

    # Links to other pages keep the filters.
    page = client.get("/agreements/?go=go-london&stage=")
    assert "go=go-london&amp;stage=&amp;page=2" not in page.content.decode()  # one page only
    everything = client.get("/agreements/?round=2008-11")
    assert "round=2008-11&amp;page=2" in everything.content.decode()

    # An unknown stage or party is ignored, not an error.
    unknown = client.get("/agreements/?stage=nonsense&party=nobody-at-all")
    assert unknown.status_code == 200 and len(areas_listed(unknown)) == 50


def test_a_negotiator_sees_only_their_government_office_without_a_go_filter(
    client, negotiator, every_area_open
):
    client.force_login(negotiator)
    page = client.get("/agreements/")
    body = page.content.decode()
    assert 'id="filter-go"' not in body
    north_west = set(
        every_area_open.filter(area__government_office=negotiator.organisation).values_list(
            "area__name", flat=True
        )
    )
    assert set(areas_listed(page)) == north_west
    # Asking for another GO's areas shows none of them.
    assert "No agreement matches" in client.get("/agreements/?go=go-london").content.decode()


def test_a_department_sees_each_referred_agreement_once(
    client, official, admin_user, every_area_open
):
    department = official.organisation
    agreements = list(every_area_open.order_by("area__name")[:3])
    for agreement in agreements:
        # Two referrals of two versions: the agreement is still listed once.
        for number in (1, 2):
            version = Version.objects.create(agreement=agreement, number=number, content={})
            Referral.objects.create(
                agreement=agreement,
                department=department,
                version=version,
                due_on=timezone.localdate(),
            )
    already = set(
        Referral.objects.filter(department=department).values_list(
            "agreement__area__name", flat=True
        )
    )
    client.force_login(official)
    listed = areas_listed(client.get("/agreements/"))
    assert sorted(listed) == sorted(already | {a.area.name for a in agreements})


def test_whose_turn_names_the_departments_still_to_answer(client, admin_user, every_area_open):
    agreement = every_area_open.filter(stage=Stage.REFERRED).order_by("area__name").first()
    dcsf = Organisation.objects.get(abbreviation="DCSF")
    home_office = Organisation.objects.get(abbreviation="HO")
    old = Version.objects.create(agreement=agreement, number=1, content={"big": "x" * 1000})
    new = Version.objects.create(agreement=agreement, number=2, content={"big": "x" * 1000})
    today = timezone.localdate()
    # On the older version the Home Office was waited on; on the latest only DCSF is.
    Referral.objects.create(agreement=agreement, department=home_office, version=old, due_on=today)
    Referral.objects.create(agreement=agreement, department=dcsf, version=new, due_on=today)
    Referral.objects.create(
        agreement=agreement,
        department=home_office,
        version=new,
        due_on=today,
        answered_at=timezone.now(),
    )
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/agreements/?q={agreement.area.name}")
    row = page.content.decode().split(agreement.area.name + "</a>")[1].split("</tr>")[0]
    assert "Departments: DCSF" in row and "HO" not in row
    # The list reads versions' numbers, never their frozen content.
    assert not any('"negotiations_version"."content"' in q["sql"] for q in queries)


def test_the_list_takes_the_same_queries_for_a_few_agreements_and_for_every_area(
    client, admin_user, round_2008
):
    client.force_login(admin_user)
    client.get("/agreements/")  # the session and caches settle
    with CaptureQueriesContext(connection) as few:
        assert client.get("/agreements/").status_code == 200
    unopened = Area.objects.exclude(agreements__round=round_2008)
    Agreement.objects.bulk_create(Agreement(area=area, round=round_2008) for area in unopened)
    with CaptureQueriesContext(connection) as every:
        assert client.get("/agreements/").status_code == 200
    assert len(few) == len(every) <= 15
