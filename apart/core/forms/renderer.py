"""The form renderer: Django's, except that the plain ``<input>`` widgets are written in Python.

Django renders every input through two small templates (``input.html`` and ``attrs.html``):
about a third of a login page's time. Their output is reproduced here exactly (same attribute
order, same escaping: ``conditional_escape``, as the templates' ``stringformat:'s'``, which keeps
safe strings safe, then autoescape do) for the values such widgets hold (text, numbers,
booleans, None); any other value, and every other template, goes to Django's templates as
before. The field templates that wrap the widgets (DSFR groups, labels, errors) are untouched.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

_WIDGETS = "django/forms/widgets/"
# Django's widget templates that are exactly {% include "django/forms/widgets/input.html" %}.
_PLAIN_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
)
_PLAIN_VALUES = (str, int, float, bool, type(None))


class FormRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in _PLAIN_INPUTS:
            html = _plain_input(context.get("widget"))
            if html is not None:
                return html
        return super().render(template_name, context, request)


def _plain_input(widget: Any) -> str | None:
    """``input.html`` and its ``attrs.html``, or None when a value is of another kind."""
    if not isinstance(widget, dict):
        return None
    kind, name, value = widget.get("type"), widget.get("name"), widget.get("value")
    attrs = widget.get("attrs") or {}
    if not (isinstance(kind, str) and isinstance(name, str) and isinstance(value, _PLAIN_VALUES)):
        return None
    if not all(isinstance(k, str) and isinstance(v, _PLAIN_VALUES) for k, v in attrs.items()):
        return None
    parts = [f'<input type="{conditional_escape(kind)}" name="{conditional_escape(name)}"']
    if value is not None:
        parts.append(f' value="{_escaped(value)}"')
    for key, attr in attrs.items():
        if attr is False:
            continue
        parts.append(f" {conditional_escape(key)}")
        if attr is not True:
            parts.append(f'="{_escaped(attr)}"')
    parts.append(">")
    return "".join(parts)


def _escaped(value: str | int | float | bool) -> str:
    # A safe string stays as it is (stringformat keeps it safe); anything else is escaped.
    return conditional_escape(value if isinstance(value, str) else str(value))
