"""Who sees which page: a table of role x page. Forbidden answers 404, like missing."""

import pytest

ROLES = ["coordinator", "coordinator2", "partner", "negotiator", "official", "admin"]

# page -> roles that may open it (every other role gets 404)
PAGES = {
    "/": set(ROLES),
    "/indicators/": set(ROLES),
    "/indicators/ni-120/": set(ROLES),
    "/rounds/": {"admin"},
    "/rounds/2008-11/": {"admin"},
    "/areas/": {"negotiator", "official", "admin"},
    # Cumbria is the demo area under GO North West; Leeds is under another GO.
    "/areas/cumbria/": {"coordinator", "partner", "negotiator", "official", "admin"},
    "/areas/leeds/": {"coordinator2", "official", "admin"},
}

CASES = [(path, role, role in allowed) for path, allowed in PAGES.items() for role in ROLES]


@pytest.mark.parametrize(("path", "role", "allowed"), CASES)
def test_page_access_by_role(client, users_by_role, path, role, allowed):
    client.force_login(users_by_role[role])
    response = client.get(path)
    assert response.status_code == (200 if allowed else 404)


def test_admin_role_does_not_depend_on_superuser_status(client, admin_user):
    admin_user.is_superuser = False
    admin_user.save()
    client.force_login(admin_user)
    assert client.get("/rounds/").status_code == 200


def test_a_superuser_without_the_admin_role_gets_no_portal_admin_rights(client, coordinator):
    """Data administration rights do not make a locality user a national team admin."""
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    assert not coordinator.has_perm("indicators.manage_rounds")
    assert not coordinator.has_perm("agreements.open_round")
    client.force_login(coordinator)
    assert client.get("/rounds/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/indicators/", "/rounds/", "/areas/", "/areas/cumbria/"])
def test_pages_need_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/?next=")


@pytest.mark.parametrize("path", ["/sign-in/", "/healthz", "/password-reset/"])
def test_sign_in_health_and_reset_pages_are_public(client, db, path):
    assert client.get(path).status_code == 200


def test_inactive_user_sees_nothing(client, negotiator):
    from accounts.selectors import areas_for_user

    negotiator.is_active = False
    assert not areas_for_user(negotiator).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The demo's coordinator, negotiator and admin invite people; so does its official,
        # DCSF's LAA lead.
        ("coordinator", ["Home", "Agreements", "Indicators", "Register of decisions", "People"]),
        ("partner", ["Home", "Agreements", "Indicators", "Register of decisions"]),
        (
            "negotiator",
            [
                "Home",
                "Agreements",
                "Indicators",
                "Register of decisions",
                "Areas",
                "People",
                "Dashboard",
            ],
        ),
        (
            "official",
            ["Home", "Agreements", "Indicators", "Register of decisions", "Areas", "People"],
        ),
        (
            "admin",
            [
                "Home",
                "Agreements",
                "Indicators",
                "Register of decisions",
                "Areas",
                "Rounds",
                "People",
                "Exports",
                "Dashboard",
            ],
        ),
    ],
)
def test_navigation_depends_on_role(users_by_role, role, expected):
    from portal.navigation import navigation_for

    assert [item.label for item in navigation_for(users_by_role[role])] == expected
