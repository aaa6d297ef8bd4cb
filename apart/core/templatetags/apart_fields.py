"""Helpers of the shared field include (core/_field.html)."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.simple_tag
def described_by(field: BoundField) -> str:
    """The ids of the messages shown under ``field`` (error, warning, notice), for
    aria-describedby: every message a sighted person sees is read with the field."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}-desc-error")
    if getattr(field.field, "warning", ""):
        ids.append(f"{field.auto_id}-desc-warning")
    if getattr(field.field, "notice", ""):
        ids.append(f"{field.auto_id}-desc-notice")
    return " ".join(ids)
