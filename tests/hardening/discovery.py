"""Finding every URL pattern of the project and every HTML form on a page, so that the hostile
input and header tests cover new pages and forms as soon as they land, with no list to maintain.

- ``url_patterns()`` walks ``get_resolver()`` and returns one ``Route`` per leaf pattern: its full
  regex, a %-format string to build a path (``django.utils.regex_helper.normalize``, the same
  helper ``reverse`` uses) and the converter of each parameter.
- ``parse_forms(html, page_url)`` returns the forms of a page: action, method, and every field
  (inputs, hidden fields and the CSRF token included, selects with their options, textareas).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Route:
    """One leaf URL pattern, with everything needed to build concrete paths for it."""

    name: str  # "namespace:name", or the regex when the pattern has no name
    regex: str  # the full regex, from the site root (no leading slash)
    template: str  # %-format string, e.g. "gestion/demandes/%(pk)s/"
    params: tuple[str, ...]
    kinds: tuple[
        tuple[str, str], ...
    ]  # (parameter, "int" | "str" | "slug" | "uuid" | "path" | "re")

    @property
    def kind_of(self) -> dict[str, str]:
        return dict(self.kinds)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.template.startswith("gestion/admin/")

    def build(self, values: dict[str, Any]) -> str:
        """The path for ``values`` (each quoted as a browser would, ``/`` kept for path params)."""
        kinds = self.kind_of
        quoted = {
            name: quote(str(values[name]), safe="/" if kinds.get(name) == "path" else "")
            for name in self.params
        }
        return "/" + self.template % quoted

    def matches(self, path: str) -> bool:
        return re.fullmatch(self.regex, path.lstrip("/")) is not None


def _kind(converter: Any) -> str:
    if isinstance(converter, IntConverter):
        return "int"
    if isinstance(converter, UUIDConverter):
        return "uuid"
    if isinstance(converter, SlugConverter):
        return "slug"
    if isinstance(converter, PathConverter):
        return "path"
    return "str"


def _strip(regex: str) -> str:
    regex = regex.removeprefix("^")
    for end in ("\\Z", "$"):
        regex = regex.removesuffix(end)
    return regex


def _walk(
    patterns: list[Any], prefix: str, namespace: str, converters: dict[str, Any]
) -> list[Route]:
    routes: list[Route] = []
    for pattern in patterns:
        regex = prefix + _strip(str(pattern.pattern.regex.pattern))
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            space = namespace
            if pattern.namespace:
                space = f"{namespace}{pattern.namespace}:"
            routes += _walk(pattern.url_patterns, regex, space, found)
        elif isinstance(pattern, URLPattern):
            template, params = normalize(regex)[0]
            kinds = tuple((p, _kind(found[p]) if p in found else "re") for p in params)
            name = f"{namespace}{pattern.name}" if pattern.name else regex
            routes.append(Route(name, regex, template, tuple(params), kinds))
    return routes


def url_patterns() -> list[Route]:
    """Every leaf pattern of the project's URLconf, in resolution order."""
    return _walk(get_resolver().url_patterns, "", "", {})


# --- HTML forms --------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type ("text", "hidden", "checkbox"...), "select" or "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    action: str  # absolute path (with its query string, if any)
    method: str  # "get" or "post"
    fields: list[Field] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields))

    def initial(self) -> dict[str, list[str]]:
        """What a browser would submit untouched (checked boxes, selected options, values)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in {"submit", "button", "image", "reset", "file"}:
                continue
            if f.kind in {"checkbox", "radio"} and not f.checked:
                continue
            data.setdefault(f.name, []).append(f.value)
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            parts = urlsplit(action)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            self._form = Form(action=path, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or ("disabled" in a and tag != "option"):
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self._form.fields.append(
                Field(
                    name, kind, a.get("value", "on" if kind == "checkbox" else ""), "checked" in a
                )
            )
        elif tag == "select" and name:
            self._select = Field(name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value", ""), "selected" in a)
            if "value" in a:
                self._add_option(a["value"], "selected" in a)
                self._option = None
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)

    def _add_option(self, value: str, selected: bool) -> None:
        assert self._select is not None
        self._select.options.append(value)
        if selected or (not self._select.value and len(self._select.options) == 1):
            self._select.value = value

    def handle_data(self, data: str) -> None:
        if self._option is not None and self._select is not None:
            self._add_option(data.strip(), self._option[1])
            self._option = None
        elif self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms
