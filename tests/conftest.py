"""Guard-rails for every test: CSRF enforced, strict templates (settings_test), browser harness."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

# Shared fixtures: smtp_server (real aiosmtpd on loopback) and deliver_outbox (worker --once);
# tests.hardening.report prints the total of hostile inputs tried; tests.proconnect.fixtures
# starts the test OpenID provider (fixture provider).
pytest_plugins = ["tests.smtp", "tests.hardening.report", "tests.proconnect.fixtures"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-results"


class CsrfClient(Client):
    """A test client that enforces CSRF like a browser would.

    A POST carries the token only when an earlier response set the CSRF cookie (i.e. the form
    page was displayed first), exactly like a real browser submitting a form it was shown.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        cookie = self.cookies.get("csrftoken")
        if cookie is not None and isinstance(data, dict) and "csrfmiddlewaretoken" not in data:
            data = {**data, "csrfmiddlewaretoken": cookie.value}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client() -> CsrfClient:
    return CsrfClient()


@pytest.fixture(autouse=True)
def _isolated_rate_limits(settings: Any) -> None:
    """Redis is not rolled back between tests: give each test its own rate-limit key space."""
    import uuid

    settings.APART_RATELIMIT_REDIS_PREFIX = f"test:{uuid.uuid4().hex}:"


@pytest.fixture(autouse=True)
def _application_catalogue(request: pytest.FixtureRequest) -> None:
    """The applications catalogue (APART, Sylaé...) is seeded by a migration, as in production.
    A transactional test ends with a flush that empties it for the tests after it on the same
    worker; every test that uses the database finds it again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None
        and bool(marker.kwargs.get("transaction", marker.args[0] if marker.args else False))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from tests.habilitations.factories import ensure_applications

    ensure_applications()


def _database_is_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _database_is_postgresql():
        needs_pg = pytest.mark.skip(
            reason="real concurrency needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)"
        )
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(needs_pg)
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests: install Debian's chromium")
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed: `apt-get install -y chromium` to run it"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def page(page: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Playwright page that fails on console errors (CSP violations included) and on any
    sub-resource (stylesheet, script, image) that fails to load, and leaves a screenshot in
    test-results/ when the test fails.

    A page answered with a 4xx status (a form shown again with its errors, a refusal) is a
    normal outcome the test asserts itself: Chromium's "Failed to load resource" console line
    for it is not counted, but the same failure on a sub-resource is.
    """
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(msg.text)

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    assert not errors, f"browser console errors: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
