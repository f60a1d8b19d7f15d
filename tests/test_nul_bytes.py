"""A NUL byte in a web address answers 400 with the GOV.UK-styled error page, before any
view or filter (PostgreSQL cannot compare text holding one)."""

import pytest

PAGES = [
    "/freedoms/register/?q=a%00b",
    "/freedoms/register/?department=%00",
    "/freedoms/register/?outcome=%00",
    "/indicators/?q=%00",
    "/indicators/?theme=%00&department=DH",
    "/agreements/?q=%00",
    "/agreements/2008-11/cumbria/targets/add/designated/?q=%00",
    "/agreements/?q%00=x",
]


@pytest.fixture
def signed_in(client, coordinator, settings):
    settings.DEBUG = False
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_a_nul_byte_in_the_query_string_is_a_bad_request(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sorry, there is a problem with the web address" in page
    assert "govuk-heading-l" in page


def test_a_nul_byte_in_the_path_is_a_bad_request(signed_in):
    response = signed_in.get("/agreements/2008-11/cumbria/targets/add/de%00signated/")
    assert response.status_code == 400


def test_the_same_pages_without_the_nul_byte_answer(signed_in):
    for url in PAGES:
        assert signed_in.get(url.replace("%00", "")).status_code == 200, url


def test_a_signed_out_visitor_gets_the_same_answer(client, settings):
    settings.DEBUG = False
    assert client.get("/sign-in/?next=/%00").status_code == 400
