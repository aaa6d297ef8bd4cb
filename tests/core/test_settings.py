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
    "APART_PUBLIC_URL": "https://activitepartielle.example.gouv.fr",
}


def test_production_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": "abcde" * 10}, "SECRET_KEY is not random enough"),
        ({"SECRET_KEY": "abcdefghijklmnopqrstuvwxyz0123456789" * 2}, "SECRET_KEY is not random"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must not contain '*'"),
        ({"ALLOWED_HOSTS": "example.gouv.fr,*"}, "ALLOWED_HOSTS must not contain '*'"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is empty"),
        ({"APART_PUBLIC_URL": ""}, "APART_PUBLIC_URL is missing"),
        ({"APART_PUBLIC_URL": "http://activitepartielle.example.gouv.fr"}, "must be an https://"),
        ({"APART_PUBLIC_URL": "https://127.0.0.1:8000"}, "must be the public address"),
        ({"APART_TRUSTED_PROXIES": "nginx.local"}, "APART_TRUSTED_PROXIES must list IP"),
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


def test_production_needs_a_public_url():
    env = {k: v for k, v in PRODUCTION.items() if k != "APART_PUBLIC_URL"}
    result = _manage("check", **env)

    assert result.returncode != 0
    assert "APART_PUBLIC_URL is missing" in result.stderr


def test_each_refusal_is_one_line_naming_the_setting():
    result = _manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": "*"})

    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "django.core.exceptions.ImproperlyConfigured: "
        "ALLOWED_HOSTS must not contain '*': list the site's host names"
    )


def _import_wsgi(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("APART_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_wsgi_entry_point_refuses_to_guess_the_development_profile():
    result = _import_wsgi()

    assert result.returncode != 0
    assert "APART_ENV is not set" in result.stderr


def test_the_wsgi_entry_point_runs_the_development_profile_when_asked_explicitly():
    assert _import_wsgi(APART_ENV="development").returncode == 0


def test_the_wsgi_entry_point_runs_a_valid_production_profile():
    result = _import_wsgi(**PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_sqlite_connections_persist_like_postgresql_ones(tmp_path):
    code = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    sqlite = _manage(
        "shell", "-c", code, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **PRODUCTION
    )
    postgres = _manage(
        "shell", "-c", code, DATABASE_URL="postgres://apart@127.0.0.1:5432/apart", **PRODUCTION
    )

    assert sqlite.returncode == 0, sqlite.stderr
    assert sqlite.stdout.split()[-1] == postgres.stdout.split()[-1] == "60"
