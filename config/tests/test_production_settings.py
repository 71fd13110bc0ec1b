"""Production settings start only with the three required variables, and are secure by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-production-secret-key-for-the-settings-test-only-0123456789"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def required(tmp_path):
    return {
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "support.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


def test_check_deploy_prints_no_warnings_with_only_the_three_variables(required):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **required)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_variable(required, missing):
    del required[missing]

    result = _manage("check", **required)

    assert result.returncode != 0
    assert missing in result.stderr


def test_a_malformed_variable_stops_start_up_naming_it(required):
    result = _manage("check", SESSION_IDLE_TIMEOUT_MINUTES="half an hour", **required)

    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT_MINUTES must be a whole number" in result.stderr
