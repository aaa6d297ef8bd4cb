"""Hostile input on every form and every URL of the site, as anonymous, employer and agent.

The forms and URLs are discovered (tests/hardening/discovery.py, crawl.py): a form added
tomorrow is covered without touching this file. For each one, hypothesis generates submissions
(huge, empty, control characters, NUL, mixed scripts, RTL overrides, SQL and HTML fragments,
wrong types, duplicated and extra fields, tampered CSRF and captcha) and every response must be
below 500 and echo nothing unescaped; afterwards no row may hold what validation should refuse.

Bounded in time: ``APART_FUZZ_EXAMPLES`` examples per form (default 20) and per URL pattern
(default 8); the examples are derandomized (the same every run) unless ``APART_FUZZ_RANDOM=1``.
Shrinking is off: a failure reports the first failing submission as is.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.hardening.crawl import Target, reachable_forms, replay
from tests.hardening.discovery import Form, Route, url_patterns
from tests.hardening.hostile import hostile_text, stored_violations, unescaped_markers
from tests.hardening.world import ROLES, World, build_world, log_in_as

pytestmark = [
    pytest.mark.django_db,
    # django-dsfr's DsfrConfig admin form has a URLField: Django 5.2 warns (only a warning in
    # production; the suite turns warnings into errors).
    pytest.mark.filterwarnings("ignore:The default scheme will be changed:DeprecationWarning"),
]

FORM_EXAMPLES = int(os.environ.get("APART_FUZZ_EXAMPLES", "20"))
URL_EXAMPLES = int(os.environ.get("APART_FUZZ_URL_EXAMPLES", "8"))
RANDOM = os.environ.get("APART_FUZZ_RANDOM") == "1"
EXTRA_NAMES = ["id", "pk", "role", "is_staff", "is_superuser", "account", "status", "next", "siret"]
QUERY_NAMES = ["next", "q", "page", "tri", "sort", "o", "p", "status", "application_code"]


def _settings(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture
def relaxed_limits(settings: Any) -> None:
    """Per-address limits would answer 429 after a few submissions and hide the code behind."""
    for name in dir(settings._wrapped):
        if name.startswith("APART_") and any(
            word in name for word in ("RATE_LIMIT", "MAX_POSTS", "IP_MAX", "PER_DAY", "PER_HOUR")
        ):
            setattr(settings, name, 10**6)


def _mostly(valid: str, base: str) -> st.SearchStrategy[list[str]]:
    """The valid value 9 times in 10 (CSRF token, captcha), else a hostile one or none."""
    spoilt = st.one_of(hostile_text(base).map(lambda v: [v]), st.just([]))
    return st.integers(0, 9).flatmap(lambda i: spoilt if i == 9 else st.just([valid]))


def submission(form: Form, seeds: dict[str, str]) -> st.SearchStrategy[dict[str, list[str]]]:
    initial = form.initial()
    parts: dict[str, st.SearchStrategy[list[str]]] = {}
    for name in form.names:
        base = (initial.get(name) or [""])[0] or seeds.get(name, "")
        if name == "csrfmiddlewaretoken":
            continue  # the client adds the cookie's token; tampering is tested below
        if name in {"captcha_1", "captcha_0"}:
            parts[name] = _mostly(base, base)
            continue
        options = [o for f in form.fields if f.name == name for o in (f.options or [f.value])]
        parts[name] = st.one_of(
            st.just([base]),
            hostile_text(base).map(lambda v: [v]),
            st.lists(hostile_text(base), min_size=2, max_size=3),
            st.lists(st.sampled_from(options or [base]), min_size=1, max_size=3),
            st.just([]),
        )
    extra = st.lists(st.tuples(st.sampled_from(EXTRA_NAMES), hostile_text()), max_size=2)
    csrf = st.integers(0, 19).flatmap(
        lambda i: st.one_of(hostile_text(), st.just("")) if i == 19 else st.just(None)
    )

    def combine(values: dict[str, list[str]], more: list[tuple[str, str]], token: Any) -> Any:
        data = {name: list(v) for name, v in values.items() if v}
        for name, value in more:
            data.setdefault(name, []).append(value)
        if token is not None:
            data["csrfmiddlewaretoken"] = [token]
        return data

    return st.builds(combine, st.fixed_dictionaries(parts), extra, csrf)


class Fuzzer:
    def __init__(self, client: Any, world: World, role: str) -> None:
        self.client, self.world, self.role = client, world, role
        self.tried = 0
        self.failures: list[str] = []

    def stand_as_role(self) -> None:
        logged_in = "_auth_user_id" in self.client.session
        if logged_in != (self.role != "anonymous"):
            log_in_as(self.client, self.world, self.role)

    def check(self, label: str, data: Any, send: Any) -> None:
        self.tried += 1
        try:
            response = send()
        except Exception:
            raise AssertionError(
                f"{label}: exception on {_summary(data)}\n{traceback.format_exc()}"
            ) from None
        assert response.status_code < 500, f"{label}: {response.status_code} on {_summary(data)}"
        leaked = unescaped_markers(response)
        assert not leaked, f"{label}: echoed unescaped {leaked} on {_summary(data)}"

    def run(self, label: str, examples: int, strategy: Any, body: Any) -> None:
        @_settings(examples)
        @given(strategy)
        def attempt(value: Any) -> None:
            body(value)

        try:
            attempt()
        except AssertionError as failure:
            self.failures.append(str(failure)[:3000])

    def fuzz_form(self, target: Target) -> None:
        form = target.form
        seeds = {"login": self.world.employer.login, "siret": self.world.known["free_siret"][0]}

        def body(data: dict[str, list[str]]) -> None:
            self.stand_as_role()
            replay(self.client, target.prelude)
            self.client.get(target.page)
            if form.method == "post":
                send = lambda: self.client.post(form.action, data)  # noqa: E731
            else:
                send = lambda: self.client.get(form.action, data)  # noqa: E731
            self.check(target.label, data, send)

        self.run(target.label, FORM_EXAMPLES, submission(form, seeds), body)

    def fuzz_route(self, route: Route) -> None:
        kinds = route.kind_of
        known = self.world.known
        params = {
            name: st.one_of(st.sampled_from(known.get(name) or ["1"]), _generated(kinds[name]))
            for name in route.params
        }
        query = st.dictionaries(st.sampled_from(QUERY_NAMES), hostile_text(), max_size=3)
        examples = 2 if route.is_admin else URL_EXAMPLES

        def body(value: tuple[dict[str, Any], dict[str, str], bool]) -> None:
            values, params_qs, post = value
            self.stand_as_role()
            path = route.build(values)
            label = f"{self.role} {'POST' if post else 'GET'} {route.name} {path[:120]}"
            if post:
                self.client.get("/")  # the CSRF cookie, as a browser that saw a page
                self.check(label, params_qs, lambda: self.client.post(path, params_qs))
            else:
                self.check(label, params_qs, lambda: self.client.get(path, params_qs))

        strategy = st.tuples(st.fixed_dictionaries(params), query, st.booleans())
        self.run(route.name, examples, strategy, body)


def _generated(kind: str) -> st.SearchStrategy[Any]:
    if kind == "int":
        return st.one_of(st.integers(0, 2**80), st.just(2**63), st.just(0))
    if kind == "uuid":
        return st.uuids()
    return hostile_text().filter(lambda v: kind == "path" or "/" not in v)


def _summary(data: Any) -> str:
    text = repr(data)
    return text if len(text) < 600 else text[:600] + f"... ({len(text)} chars)"


def _report(record_property: Any, kind: str, role: str, fuzzer: Fuzzer, units: int) -> None:
    record_property("hostile_inputs", fuzzer.tried)
    print(f"\nhostile {kind} as {role}: {fuzzer.tried} inputs on {units} {kind}")


@pytest.mark.parametrize("role", ROLES)
def test_no_form_breaks_on_hostile_input(client, role, relaxed_limits, record_property):
    world = build_world()
    targets = reachable_forms(client, world, role)
    fuzzer = Fuzzer(client, world, role)

    for target in targets:
        fuzzer.fuzz_form(target)

    _report(record_property, "forms", role, fuzzer, len(targets))
    assert not fuzzer.failures, "\n\n".join(fuzzer.failures)
    assert stored_violations() == []


@pytest.mark.parametrize("role", ROLES)
def test_no_url_breaks_on_hostile_parameters(client, role, relaxed_limits, record_property):
    world = build_world()
    routes = [r for r in url_patterns() if role == "agent" or not r.is_admin]
    fuzzer = Fuzzer(client, world, role)

    for route in routes:
        fuzzer.fuzz_route(route)

    _report(record_property, "URL patterns", role, fuzzer, len(routes))
    assert not fuzzer.failures, "\n\n".join(fuzzer.failures)
    assert stored_violations() == []


def test_the_crawl_reaches_every_journey_step(client):
    """The generic walk finds the forms behind a first step (so they get fuzzed too)."""
    world = build_world()
    actions = {t.action_name for t in reachable_forms(client, world, "anonymous")}

    assert {
        "registration:start",
        "registration:details",
        "accounts:login",
        "accounts:password_forgotten",
        "accounts:password_question",
        "accounts:login_forgotten",
        "accounts:login_question",
    } <= actions
