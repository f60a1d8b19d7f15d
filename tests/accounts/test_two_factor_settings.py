"""TWO_FACTOR_REQUIRED_ROLES: the roles that must have a second factor, from the environment."""

from tests.test_settings import PRODUCTION, run_manage

PRINT_ROLES = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_ROLES)"


def test_production_requires_a_second_factor_of_government_and_the_national_team():
    result = run_manage("shell", "-c", PRINT_ROLES, env_changes=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "['negotiator', 'official', 'admin']"


def test_the_demo_requires_none_unless_told():
    demo = {"DEBUG": "true", "DATABASE_URL": None, "SECRET_KEY": None}
    result = run_manage("shell", "-c", PRINT_ROLES, env_changes=demo)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
    told = {**demo, "TWO_FACTOR_REQUIRED_ROLES": "negotiator, admin"}
    result = run_manage("shell", "-c", PRINT_ROLES, env_changes=told)
    assert result.stdout.strip().splitlines()[-1] == "['negotiator', 'admin']", result.stderr


def test_an_unknown_role_stops_the_portal():
    result = run_manage(
        "check", env_changes={**PRODUCTION, "TWO_FACTOR_REQUIRED_ROLES": "negotiator,gardener"}
    )
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED_ROLES must list roles among" in result.stderr
