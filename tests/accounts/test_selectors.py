import re

from accounts.selectors import areas_for_user


def test_coordinator_works_in_their_own_area_only(coordinator, coordinator2):
    assert list(areas_for_user(coordinator).values_list("name", flat=True)) == ["Cumbria"]
    assert list(areas_for_user(coordinator2).values_list("name", flat=True)) == ["Leeds"]


def test_negotiator_works_in_every_area_their_go_covers(negotiator):
    areas = areas_for_user(negotiator)
    assert areas.count() == 22
    assert {area.government_office.name for area in areas} == {"GO North West"}


def test_partner_works_in_the_areas_it_is_named_in(partner):
    assert list(areas_for_user(partner).values_list("name", flat=True)) == ["Cumbria"]


def test_departments_and_national_team_work_across_all_areas(official, admin_user):
    assert areas_for_user(official).count() == 150
    assert areas_for_user(admin_user).count() == 150


def test_home_lists_the_users_organisation_and_areas(
    client, negotiator, django_assert_max_num_queries
):
    client.force_login(negotiator)
    # Blackpool is in sign-off: the signatures owed are read in six queries more.
    with django_assert_max_num_queries(26):
        response = client.get("/")
    body = response.content.decode()
    assert "GO North West" in body
    assert len(re.findall(r'href="/areas/[a-z-]+/"', body)) == 22
