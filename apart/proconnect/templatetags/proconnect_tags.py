"""The ProConnect button, shown under the guide's login form when ProConnect is configured."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from apart.proconnect.client import is_enabled

register = template.Library()


@register.simple_tag(takes_context=True)
def proconnect_button(context: template.Context) -> SafeString | str:
    """The button, or nothing at all (no template rendered) when ProConnect is not configured:
    the login box of the home and login pages asks on every request."""
    if not is_enabled():
        return ""
    return render_to_string(
        "proconnect/_button.html", {"enabled": True, "csrf_token": context.get("csrf_token", "")}
    )
