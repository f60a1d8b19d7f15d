import pytest
from django.core.management import CommandError, call_command

from accounts.models import ROLE_ORGANISATION_KIND, Role, User
from portal.demo import DEMO_LOGINS, demo_seed


def test_demo_seed_makes_one_login_per_role(db):
    users = User.objects.filter(email__in=[login.email for login in DEMO_LOGINS])
    assert {user.role for user in users} == set(Role.values)
    for user in users:
        assert user.organisation.kind == ROLE_ORGANISATION_KIND[user.role]
        assert user.check_password("demo-password")


def test_demo_seed_is_idempotent(db):
    before = User.objects.count()
    results = demo_seed(force=True)
    assert User.objects.count() == before
    assert [created for _, created in results] == [False] * len(DEMO_LOGINS)


def test_second_coordinator_is_under_another_government_office(coordinator, coordinator2):
    assert (
        coordinator.organisation.area.government_office
        != coordinator2.organisation.area.government_office
    )


def test_demo_data_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")


def test_demo_data_can_be_forced(db, settings, capsys):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert "coordinator@example.org" in capsys.readouterr().out


def test_role_must_match_the_kind_of_organisation(coordinator, negotiator):
    from django.core.exceptions import ValidationError

    coordinator.organisation = negotiator.organisation
    with pytest.raises(ValidationError, match="must belong to a Locality"):
        coordinator.full_clean(exclude=["password"])
