"""Configuration from the environment: production refuses unsafe settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-generated-for-this-test-" + "x" * 20,
    "ALLOWED_HOSTS": "laa.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://laa.example.org",
    "DATABASE_URL": "postgres://laa@127.0.0.1:5432/laa",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env_changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in ("LAA_VAR_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env["LAA_VAR_DIR"] = os.environ["LAA_VAR_DIR"]
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_changes=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "django-insecure-" + "development-only-key-" * 3},
            "development key",
        ),
        ({"SECRET_KEY": "short"}, "shorter than 50"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"DEBUG": "perhaps"}, "DEBUG must be true or false"),
        ({"SESSION_IDLE_TIMEOUT": "ten"}, "SESSION_IDLE_TIMEOUT must be a whole number"),
        ({"API_REQUEST_LOG_DAYS": "0"}, "API_REQUEST_LOG_DAYS must be 1 or more"),
    ],
)
def test_production_refuses_to_start_on_unsafe_settings(changes, message):
    result = run_manage("check", env_changes={**PRODUCTION, **changes})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_defaults_need_no_configuration():
    result = run_manage(
        "check", env_changes={"DEBUG": "true", "DATABASE_URL": None, "SECRET_KEY": None}
    )
    assert result.returncode == 0, result.stderr


def test_code_only_commands_need_no_production_secret():
    result = run_manage(
        "makemigrations",
        "--check",
        "--dry-run",
        env_changes={"DEBUG": None, "SECRET_KEY": None, "ALLOWED_HOSTS": None},
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
