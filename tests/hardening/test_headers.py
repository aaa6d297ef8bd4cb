"""Security headers on every page, cookies in production mode, and templates without inline
script or style. The pages are discovered (tests/hardening/crawl.py): a new page is checked as
soon as it lands, for anonymous visitors, employers and agents."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.accounts.factories import STRONG_PASSWORD
from tests.hardening.crawl import reachable_pages
from tests.hardening.world import ROLES, build_world

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEYS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
]

pytestmark = pytest.mark.filterwarnings(
    "ignore:The default scheme will be changed:DeprecationWarning"
)


def production_settings() -> dict[str, Any]:
    """The security settings as the production profile computes them (a separate process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APART_", "DJANGO_"))}
    env |= {
        "APART_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "APART_PUBLIC_URL": "https://testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {PRODUCTION_KEYS!r}}}))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(settings: Any) -> dict[str, Any]:
    values = production_settings()
    for key, value in values.items():
        setattr(settings, key, tuple(value) if isinstance(value, list) else value)
    settings.APART_TRUSTED_PROXIES = ["127.0.0.1"]  # the TLS proxy in front of the test client
    return values


def _csp(response: Any) -> dict[str, str]:
    policy = response.get("Content-Security-Policy", "")
    return {d.split(" ", 1)[0]: d.partition(" ")[2] for d in (p.strip() for p in policy.split(";"))}


def header_problems(path: str, response: Any) -> list[str]:
    problems = []
    csp = _csp(response)
    if csp.get("default-src") != "'self'":
        problems.append("CSP default-src is not 'self'")
    if not re.fullmatch(r"'self' 'nonce-[A-Za-z0-9_-]{20,}'", csp.get("script-src", "")):
        problems.append(f"CSP script-src is not 'self' + nonce: {csp.get('script-src')!r}")
    if csp.get("style-src") != "'self'":
        problems.append(f"CSP style-src is not 'self': {csp.get('style-src')!r}")
    for directive, value in {
        "frame-ancestors": "'none'",
        "object-src": "'none'",
        "base-uri": "'none'",  # ASVS 5.0 V3.4.3
        "form-action": "'self'",
    }.items():
        if csp.get(directive) != value:
            problems.append(f"CSP {directive} is not {value}")
    if "unsafe" in response.get("Content-Security-Policy", ""):
        problems.append("CSP allows unsafe-*")
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for header, value in expected.items():
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}, not {value!r}")
    permissions = response.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        if feature not in permissions:
            problems.append(f"Permissions-Policy lacks {feature}")
    if response.get("Server"):
        problems.append("a Server header tells the software")
    return [f"{path}: {problem}" for problem in problems]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_carries_the_security_headers(client, production, role):
    world = build_world()
    client.defaults["HTTP_X_FORWARDED_PROTO"] = "https"  # behind the TLS proxy

    pages = reachable_pages(client, world, role)

    assert len(pages) >= 15, [path for path, _ in pages]
    problems = [p for path, response in pages for p in header_problems(path, response)]
    assert problems == []


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_cached(client):
    world = build_world()
    client.force_login(world.employer)

    for path in [
        "/espace/",
        "/espace/mon-compte/",
        f"/espace/etablissements/{world.establishment.pk}/",
    ]:
        cache_control = client.get(path).get("Cache-Control", "")
        assert "no-store" in cache_control or "private" in cache_control, (path, cache_control)


@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_and_samesite(client, production):
    world = build_world()
    client.defaults["HTTP_X_FORWARDED_PROTO"] = "https"
    client.defaults["HTTP_REFERER"] = "https://testserver/connexion/"  # HTTPS CSRF check
    client.get("/connexion/", secure=True)
    credentials = {"login": world.employer.login, "password": STRONG_PASSWORD}
    client.post("/connexion/", credentials, secure=True)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, secure=True)

    cookies = {name: morsel for name, morsel in client.cookies.items()}
    assert {"sessionid", "csrftoken", "django_language"} <= cookies.keys()
    for name, morsel in cookies.items():
        assert morsel["secure"] is True, f"{name} is not Secure"
        assert morsel["httponly"] is True, f"{name} is not HttpOnly"
        assert morsel["samesite"] == "Lax", f"{name} has SameSite={morsel['samesite']!r}"


# --- Templates ---------------------------------------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "apart").glob("**/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
SCRIPT_WITHOUT_NONCE = re.compile(r"<script(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def _our_templates() -> list[Path]:
    # Email bodies are not web pages: mail readers need inline styles and there is no CSP.
    return [
        path
        for folder in TEMPLATE_DIRS
        for path in folder.glob("**/*.html")
        if "/emails/" not in str(path)
    ]


def test_the_template_scan_sees_the_templates():
    assert len(_our_templates()) >= 40


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (SCRIPT_WITHOUT_NONCE, "a <script> without nonce"),
        (INLINE_SCRIPT, "an inline <script>"),
        (STYLE_ATTRIBUTE, "a style= attribute"),
        (STYLE_ELEMENT, "a <style> element"),
        (EVENT_HANDLER, "an on*= event handler attribute"),
    ],
)
def test_no_template_has_inline_script_or_style(pattern, what):
    offenders = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in _our_templates()
        for text in [path.read_text()]
        for match in pattern.finditer(text)
    ]

    assert offenders == [], f"{what} in: {offenders}"
