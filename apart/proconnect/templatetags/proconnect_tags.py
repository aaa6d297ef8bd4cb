"""The ProConnect button, shown under the guide's login form when ProConnect is configured."""

from typing import Any

from django import template

from apart.proconnect.client import is_enabled

register = template.Library()


@register.inclusion_tag("proconnect/_button.html", takes_context=True)
def proconnect_button(context: template.Context) -> dict[str, Any]:
    return {"enabled": is_enabled(), "csrf_token": context.get("csrf_token", "")}
