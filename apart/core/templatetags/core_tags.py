"""Template filters with no business rule."""

import re

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()

_AFTER_SEPARATOR = re.compile(r"(?<=[.\-_@])")
_WBR = SafeString("<wbr>")


@register.filter
def word_breaks(value: object) -> SafeString:
    """The text, escaped, with a line-break opportunity (``<wbr>``) after each dot, hyphen,
    underscore and at sign: a long login (« ilmen.foplus ») that must wrap in a narrow place
    wraps between its parts, never inside one. ``<wbr>`` is no character: what is read aloud or
    copied is unchanged."""
    parts = [part for part in _AFTER_SEPARATOR.split(str(value)) if part]
    return format_html_join(_WBR, "{}", ((part,) for part in parts))
