"""The round page leads the national team to the round's statutory figures and its annual
review."""

import pytest


@pytest.mark.django_db
def test_the_round_page_links_to_statutory_figures_and_the_annual_review(client, users_by_role):
    client.force_login(users_by_role["admin"])
    page = client.get("/rounds/2008-11/").content.decode()
    assert 'href="/agreements/rounds/2008-11/statutory-targets/"' in page
    assert 'href="/rounds/2008-11/annual-review/"' in page
    assert client.get("/rounds/2008-11/annual-review/").status_code == 200
