"""Walking the site as a browser would, to find every page and form each role can reach.

``reachable_pages`` GETs every URL pattern (parameters filled with the world's real values) and
keeps the HTML pages that answer 200. ``reachable_forms`` parses their forms, then submits each
POST form once with plausible values (``SEEDS``) and follows the redirect: the forms of the next
step of a journey (registration step 2, the secret question of a recovery...) are found that way,
with the requests to replay (``prelude``) to stand at that step again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from tests.hardening.discovery import Form, Route, parse_forms, url_patterns
from tests.hardening.world import World, log_in_as

# Plausible values per field name, so that a journey's first step lets us reach the next one.
SEEDS: dict[str, str] = {
    "captcha_0": "unused",
    "captcha_1": "PASSED-TEST",
    "accept_terms": "on",
    "last_name": "Menuça",
    "first_name": "Gérard",
    "phone": "06 12 34 56 78",
    "establishment_phone": "01 42 68 53 00",
    "establishment_email": "contact@clean-desk.fr",
    "establishment_email_confirm": "contact@clean-desk.fr",
    "secret_question": "Ma première voiture ?",
    "secret_answer": "Cylindrée",
    "answer": "Mille deux cents",
}
# Forms that end the session or switch the language: fuzzed, but never followed while crawling.
NOT_FOLLOWED = {"accounts:logout", "set_language"}


@dataclass(frozen=True)
class Step:
    method: str
    url: str
    data: tuple[tuple[str, str], ...] = ()


@dataclass
class Target:
    """A form that ``role`` reaches by replaying ``prelude`` then GETting ``page``."""

    role: str
    page: str
    prelude: tuple[Step, ...]
    form: Form
    action_name: str

    @property
    def label(self) -> str:
        return f"{self.role} {self.form.method.upper()} {self.form.action} (from {self.page})"


def route_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return "?"
    return match.view_name or match.route


def candidate_paths(route: Route, world: World, limit: int = 8) -> list[str]:
    """Concrete paths of ``route`` built from the world's real values."""
    pools = [world.known.get(p, []) or ["1"] for p in route.params]
    return [
        route.build(dict(zip(route.params, v, strict=True))) for v in itertools.product(*pools)
    ][:limit]


def replay(client: Any, steps: tuple[Step, ...]) -> Any:
    response = None
    for step in steps:
        if step.method == "get":
            response = client.get(step.url)
        else:
            response = client.post(step.url, _multi(step.data))
    return response


def _multi(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def seeded(form: Form, world: World) -> tuple[tuple[str, str], ...]:
    """The form's own values, with SEEDS (and the world's login/email) where a field is empty."""
    seeds = {
        **SEEDS,
        "login": world.employer.login,
        "siret": world.known["free_siret"][0],
        "email": "gerard.menuca@example.fr",
        "email_confirm": "gerard.menuca@example.fr",
    }
    pairs: list[tuple[str, str]] = []
    for name, values in form.initial().items():
        if name == "csrfmiddlewaretoken":
            continue
        for value in values:
            pairs.append((name, value or seeds.get(name, "")))
    for f in form.fields:  # unchecked required boxes (CGU) are ticked
        if f.name in seeds and f.name not in form.initial():
            pairs.append((f.name, seeds[f.name]))
    return tuple(pairs)


def reachable_pages(client: Any, world: World, role: str) -> list[tuple[str, Any]]:
    """(path, response) of every HTML page answering 200 to ``role``."""
    log_in_as(client, world, role)
    pages = []
    for route in url_patterns():
        if route.is_admin and role != "agent":
            continue
        for path in candidate_paths(route, world):
            response = client.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                pages.append((path, response))
    return pages


def reachable_forms(client: Any, world: World, role: str, *, admin: bool = False) -> list[Target]:
    targets: list[Target] = []
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    frontier: list[tuple[str, tuple[Step, ...], Any]] = [
        (path, (), response)
        for path, response in reachable_pages(client, world, role)
        if admin or not path.startswith("/gestion/admin/")
    ]
    depth = 0
    while frontier and depth < 3:
        depth += 1
        next_frontier = []
        for page, prelude, response in frontier:
            for form in parse_forms(response.content.decode(errors="replace"), page):
                name = route_name(form.action)
                key = (form.method, name, tuple(form.names))
                if key in seen:
                    continue
                seen.add(key)
                targets.append(Target(role, page, prelude, form, name))
                if form.method != "post" or name in NOT_FOLLOWED:
                    continue
                followed = _follow(client, world, role, page, prelude, form)
                if followed is not None:
                    next_frontier.append(followed)
        frontier = next_frontier
    return targets


def _follow(
    client: Any, world: World, role: str, page: str, prelude: tuple[Step, ...], form: Form
) -> tuple[str, tuple[Step, ...], Any] | None:
    """Submit ``form`` with plausible values; the page it redirects to, if it is a new step."""
    log_in_as(client, world, role)
    replay(client, prelude)
    client.get(page)
    data = seeded(form, world)
    response = client.post(form.action, _multi(data))
    if response.status_code != 302:
        return None
    target = response["Location"]
    if urlsplit(target).netloc or urlsplit(target).path == urlsplit(page).path:
        return None
    landed = client.get(target)
    if landed.status_code != 200 or "html" not in landed.get("Content-Type", ""):
        return None
    steps = (*prelude, Step("get", page), Step("post", form.action, data))
    return target, steps, landed
