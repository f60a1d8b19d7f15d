"""Wayfinding: breadcrumbs below home, the agreement's current section marked, titles that
name the search, and the negotiating brief linked for those who may read it."""

import re

import pytest

from accounts.models import User

CUMBRIA = "/agreements/2008-11/cumbria/"


def _crumbs(page: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', page, re.S)
    if nav is None:
        return []
    return re.findall(r'<a class="govuk-breadcrumbs__link" href="([^"]*)">([^<]*)</a>', nav[0])


def _current(page: str) -> list[tuple[str, str, str]]:
    """The agreement sections marked current: (href, aria-current, label)."""
    nav = re.search(r'<nav aria-label="Agreement sections".*?</nav>', page, re.S)
    return re.findall(
        r'<a class="govuk-link" href="([^"]*)" aria-current="([^"]*)"><strong>([^<]*)</strong>',
        nav[0],
    )


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_agreement_pages_have_breadcrumbs_down_to_their_section(signed_in):
    cumbria = User.objects.get(email="coordinator@example.org").organisation.area
    target = cumbria.agreements.get(round__slug="2008-11").targets.first()
    page = signed_in.get(f"{CUMBRIA}targets/{target.pk}/").content.decode()
    assert _crumbs(page) == [
        ("/", "Home"),
        ("/agreements/", "Agreements"),
        (CUMBRIA, "Cumbria 2008-11"),
        (f"{CUMBRIA}targets/", "Targets"),
    ]
    # A section's own page stops at the agreement; the overview at the list.
    assert _crumbs(signed_in.get(f"{CUMBRIA}targets/").content.decode()) == [
        ("/", "Home"),
        ("/agreements/", "Agreements"),
        (CUMBRIA, "Cumbria 2008-11"),
    ]
    assert _crumbs(signed_in.get(CUMBRIA).content.decode()) == [
        ("/", "Home"),
        ("/agreements/", "Agreements"),
    ]


def test_other_pages_have_breadcrumbs_to_their_menu_section_and_home_has_none(signed_in):
    assert _crumbs(signed_in.get("/indicators/ni-120/").content.decode()) == [
        ("/", "Home"),
        ("/indicators/", "Indicators"),
    ]
    assert _crumbs(signed_in.get("/indicators/").content.decode()) == [("/", "Home")]
    assert _crumbs(signed_in.get("/").content.decode()) == []


def test_the_agreement_navigation_marks_the_current_section(signed_in):
    assert _current(signed_in.get(f"{CUMBRIA}targets/").content.decode()) == [
        (f"{CUMBRIA}targets/", "page", "Targets")
    ]
    # A page within a section marks the section as where the person is, not as this page.
    page = signed_in.get(f"{CUMBRIA}negotiation/activity/").content.decode()
    assert _current(page) == [(f"{CUMBRIA}negotiation/", "true", "Negotiation")]
    assert (f"{CUMBRIA}negotiation/", "Negotiation") in _crumbs(page)
    assert _current(signed_in.get(f"{CUMBRIA}negotiation/").content.decode()) == [
        (f"{CUMBRIA}negotiation/", "page", "Negotiation")
    ]
    assert _current(signed_in.get(f"{CUMBRIA}sign-off/").content.decode()) == [
        (f"{CUMBRIA}sign-off/", "page", "Sign-off")
    ]
    assert _current(signed_in.get(CUMBRIA).content.decode()) == [(CUMBRIA, "page", "Overview")]


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S)[1]


def test_titles_name_the_search_and_filters(signed_in):
    assert _title(signed_in.get("/indicators/").content.decode()) == (
        "National indicators – LAA Portal"
    )
    assert _title(signed_in.get("/indicators/?q=obesity").content.decode()) == (
        "Indicators matching ‘obesity’ – LAA Portal"
    )
    assert _title(signed_in.get("/indicators/?q=obesity&department=DH").content.decode()) == (
        "Indicators matching ‘obesity’, lead department DH – LAA Portal"
    )
    assert _title(signed_in.get("/freedoms/register/").content.decode()) == (
        "Register of decisions – LAA Portal"
    )
    page = signed_in.get("/freedoms/register/?q=pooled&outcome=agreed").content.decode()
    assert _title(page) == "Register of decisions: matching ‘pooled’, outcome agreed – LAA Portal"


@pytest.mark.parametrize(
    ("email", "may_read"),
    [
        ("coordinator@example.org", False),
        ("partner@example.org", False),
        ("negotiator@example.org", True),
        ("admin@example.org", True),
    ],
)
def test_the_brief_is_linked_only_for_those_who_may_read_it(client, db, email, may_read):
    user = User.objects.get(email=email)
    client.force_login(user)
    page = client.get(f"{CUMBRIA}requests/").content.decode()
    assert ('href="/freedoms/2008-11/brief/"' in page) is may_read
    assert client.get("/freedoms/2008-11/brief/").status_code == (200 if may_read else 404)
    assert user.has_perm("freedoms.see_brief") is may_read
