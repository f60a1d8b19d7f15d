"""The indicator library: search by code or words, filters, pages, detail."""

import pytest


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def codes(response) -> list[str]:
    return [indicator.code for indicator in response.context["page"]]


def test_search_by_words_finds_ni_120(signed_in):
    response = signed_in.get("/indicators/", {"q": "mortality"})
    assert "NI 120" in codes(response)
    for indicator in response.context["page"]:
        assert "mortality" in f"{indicator.title} {indicator.theme} {indicator.source}".lower()


@pytest.mark.parametrize("query", ["NI 120", "ni120", "120", "NI-120"])
def test_search_by_code(signed_in, query):
    assert codes(signed_in.get("/indicators/", {"q": query})) == ["NI 120"]


def test_every_word_must_match(signed_in):
    response = signed_in.get("/indicators/", {"q": "mortality cancer"})
    assert codes(response) and all("cancer" in i.title.lower() for i in response.context["page"])


def test_filter_by_theme_and_department(signed_in):
    response = signed_in.get("/indicators/", {"theme": "Safer communities"})
    assert response.context["page"].paginator.count == 34
    response = signed_in.get(
        "/indicators/", {"department": "DCSF", "theme": "Children and young people"}
    )
    assert response.context["page"].paginator.count > 0
    assert {i.lead_department.abbreviation for i in response.context["page"]} == {"DCSF"}


def test_results_are_paginated_and_keep_the_filters(signed_in):
    response = signed_in.get("/indicators/", {"department": "DCSF", "page": 2})
    assert response.context["page"].number == 2
    assert response.context["page"].paginator.count == 66
    assert "department=DCSF&amp;page=3" in response.content.decode()


def test_no_match_says_so(signed_in):
    response = signed_in.get("/indicators/", {"q": "zzzzzz"})
    assert "No indicator matches" in response.content.decode()


def test_htmx_request_gets_only_the_results(signed_in):
    response = signed_in.get(
        "/indicators/",
        {"q": "mortality"},
        headers={"HX-Request": "true", "HX-Target": "indicator-results"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="indicator-results"')
    assert "<html" not in body


def test_list_query_count_does_not_grow_with_the_page(signed_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        signed_in.get("/indicators/")
    with django_assert_max_num_queries(12):
        signed_in.get("/indicators/", {"page": 8})


def test_detail_page(signed_in):
    response = signed_in.get("/indicators/ni-72/")
    body = response.content.decode()
    assert "Statutory education target" in body
    assert "Department for Children, Schools and Families" in body


@pytest.mark.parametrize(
    "path", ["/indicators/ni-31/", "/indicators/ni-999/", "/indicators/nothing/"]
)
def test_unknown_indicator_is_404(signed_in, path):
    assert signed_in.get(path).status_code == 404


def test_silly_page_numbers_do_not_fail(signed_in):
    assert signed_in.get("/indicators/", {"page": "abc"}).status_code == 200
    assert signed_in.get("/indicators/", {"page": "99999"}).status_code == 200
