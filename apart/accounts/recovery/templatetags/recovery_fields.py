"""The DSFR input of a form field, described by its help text and its errors."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def dsfr_input(field: BoundField, describedby: str = "") -> SafeString:
    """``fr-input`` (``fr-input--error`` and ``aria-invalid`` when the field has errors), with
    ``aria-describedby`` naming ``describedby`` and the id of the errors' block."""
    ids = [describedby] if describedby else []
    attrs: dict[str, str | bool] = {"class": "fr-input"}
    if field.errors:
        ids.append(f"{field.auto_id}-erreurs")
        attrs.update({"class": "fr-input fr-input--error", "aria-invalid": "true"})
    if getattr(field.field.widget, "mode", "") == "operation":
        ids.insert(0, f"{field.auto_id}_question")  # the captcha's operation, e.g. « 8 + 4 = »
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
