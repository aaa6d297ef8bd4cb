"""The production profile refuses unsafe configurations and passes Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("APART_", "DJANGO_"))}
    base.pop("SECRET_KEY", None)
    base.pop("ALLOWED_HOSTS", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "APART_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "activitepartielle.example.gouv.fr",
}


def test_production_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "real SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "real SECRET_KEY"),
        ({"APART_CAPTCHA_TEST_ANSWER": "PASSED"}, "never honoured in production"),
        ({"DEBUG": "true"}, "DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_settings(override, message):
    result = _manage("check", **{**PRODUCTION, **override})

    assert result.returncode != 0
    assert message in result.stderr


def test_production_needs_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", **env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
