"""Every list of requests is paginated, 50 a page, the page number kept with the filters,
and the number of queries does not grow with the list."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import Organisation
from agreements.models import Agreement
from freedoms.models import FreedomRequest
from tests.factories import FreedomRequestFactory

PER_PAGE = 50


def add_requests(count: int, *, state: str, **fields) -> None:
    agreement = Agreement.objects.get(area__name="Lancashire", round__slug="2008-11")
    dcsf = Organisation.objects.get(kind="department", abbreviation="DCSF")
    now = timezone.now()
    FreedomRequest.objects.bulk_create(
        FreedomRequestFactory.build(
            agreement=agreement,
            number=100 + i,
            title=f"Pooled budget number {i}",
            state=state,
            department=dcsf,
            submitted_at=now - dt.timedelta(days=30),
            **fields,
        )
        for i in range(count)
    )


def page_links(body: str) -> list[str]:
    nav = re.search(r'<nav class="govuk-pagination".*?</nav>', body, re.S)
    return re.findall(r'href="\?([^"]*)"', nav.group(0)) if nav else []


@pytest.fixture
def relayed_60(db):
    add_requests(
        60,
        state="relayed",
        outcome="agreed",
        decided_at=timezone.now() - dt.timedelta(days=2),
    )


def test_the_register_pages_keep_the_filters(client, coordinator2, relayed_60):
    client.force_login(coordinator2)
    response = client.get("/freedoms/register/", {"outcome": "agreed"})
    page = response.context["page"]
    assert len(page) == PER_PAGE and page.paginator.count == 60
    assert "outcome=agreed&amp;page=2" in page_links(response.content.decode())
    response = client.get("/freedoms/register/", {"outcome": "agreed", "page": "2"})
    assert len(response.context["page"]) == 10
    assert "outcome=agreed&amp;page=1" in page_links(response.content.decode())


def test_a_search_is_paginated_too(client, coordinator2, relayed_60):
    client.force_login(coordinator2)
    response = client.get("/freedoms/register/", {"q": "pooled", "department": "DCSF"})
    page = response.context["page"]
    assert len(page) == PER_PAGE and page.paginator.num_pages == 2
    assert "q=pooled&amp;department=DCSF&amp;page=2" in page_links(response.content.decode())
    second = client.get("/freedoms/register/", {"q": "pooled", "department": "DCSF", "page": 2})
    titles = [r.title for r in page] + [r.title for r in second.context["page"]]
    assert len(set(titles)) == len(titles) >= 60
    # A page past the end shows the last page, as elsewhere.
    last = client.get("/freedoms/register/", {"q": "pooled", "page": 99}).context["page"]
    assert last.number == 2


def test_an_agreements_requests_are_paginated(
    client, lancashire_coordinator, django_assert_max_num_queries
):
    add_requests(70, state="with_go")
    client.force_login(lancashire_coordinator)
    with django_assert_max_num_queries(15):
        response = client.get("/agreements/2008-11/lancashire/requests/")
    assert len(response.context["requests"]) == PER_PAGE
    assert "page=2" in page_links(response.content.decode())
    response = client.get("/agreements/2008-11/lancashire/requests/", {"page": "2"})
    assert len(response.context["requests"]) == 70 + 2 - PER_PAGE  # with the demo's two


def test_the_overdue_list_is_paginated(client, negotiator, django_assert_max_num_queries):
    add_requests(55, state="with_department", due_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(negotiator)
    with django_assert_max_num_queries(15):
        response = client.get("/freedoms/overdue/")
    assert len(response.context["requests"]) == PER_PAGE
    second = client.get("/freedoms/overdue/", {"page": "2"}).context["requests"]
    assert len(second) == 55 + 1 - PER_PAGE


def test_a_long_list_links_a_few_pages_around_the_current_one(client, coordinator2, db):
    add_requests(
        PER_PAGE * 12,
        state="relayed",
        outcome="agreed",
        decided_at=timezone.now() - dt.timedelta(days=2),
    )
    client.force_login(coordinator2)
    body = client.get("/freedoms/register/", {"page": "6"}).content.decode()
    pages = [link.rsplit("page=", 1)[1] for link in page_links(body)]
    assert pages[0] == "5" and pages[-1] == "7"  # previous and next
    assert {"1", "4", "6", "8", "13"} <= set(pages) and "10" not in pages
    assert "govuk-pagination__item--ellipses" in body


def test_the_register_query_count_does_not_grow(
    client, coordinator2, relayed_60, django_assert_max_num_queries
):
    client.force_login(coordinator2)
    for query in ({}, {"q": "pooled"}, {"department": "DCSF", "page": "2"}):
        with django_assert_max_num_queries(15):
            assert client.get("/freedoms/register/", query).status_code == 200
