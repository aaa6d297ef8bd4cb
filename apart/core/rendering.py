"""One DSFR rendering for every form field (settings.FORM_RENDERER).

``{{ form.name.as_field_group }}`` renders the field with ``core/field.html``: the DSFR group of
its kind (input, select, upload, checkbox), its label (`` *`` when required, unless the form says
``mark_required = False``), its hint (``help_text``), "renseigné par l'INSEE" on greyed fields,
and its messages (notice, non-blocking warning, errors), each tied to the control by
``aria-describedby`` so that a screen reader reads with the field what a sighted person sees
under it.

What a form or field may say (plain attributes, read here and nowhere else):
- ``form.mark_required = False``: no `` *`` after required labels (the login box, the recovery
  pages: the guide's own labels);
- ``form.errors_above = True``: the page shows each field's errors above the form, as the guide's
  « ! » messages (``core/_error_alerts.html``); the field is marked in error and described by that
  message, which is not repeated under it;
- ``field.greyed`` (SIRENE's values, read-only), ``field.notice`` (the form corrected the value),
  ``field.warning`` (non-blocking check), ``field.label_suffix`` (e.g. `` :``);
- ``aria-describedby`` in the widget's attributes: more text that describes the field (the
  password rules, the secret question), read before the field's own messages.
"""

from typing import Any

from django import forms
from django.utils.safestring import SafeString

from apart.core.forms.renderer import FormRenderer
from apart.core.forms.restore import note_rendered

FIELD_TEMPLATE = "core/field.html"

# DSFR's name of each kind of control: its group is ``fr-<kind>-group``, its control ``fr-<kind>``;
# a list of choices (radio buttons, checkboxes) is a fieldset of ``fr-<kind>-group`` choices.
CHECKBOX, SELECT, UPLOAD, INPUT = "checkbox", "select", "upload", "input"
RADIO_LIST, CHECKBOX_LIST = "radio", "checkboxes"


def dsfr_kind(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return CHECKBOX_LIST
    if isinstance(widget, forms.RadioSelect):
        return RADIO_LIST
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.FileInput):
        return UPLOAD
    return INPUT


class DsfrBoundField(forms.BoundField):
    """A bound field that knows its DSFR rendering; ``{{ field }}`` (the bare widget) is left as
    Django renders it, so that Django's admin is not changed."""

    @property
    def kind(self) -> str:
        return dsfr_kind(self.field.widget)

    @property
    def is_list(self) -> bool:
        """A list of choices: a fieldset whose legend is the label."""
        return self.kind in (RADIO_LIST, CHECKBOX_LIST)

    @property
    def choice_group(self) -> str:
        return "fr-radio-group" if self.kind == RADIO_LIST else "fr-checkbox-group"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-desc-error"

    @property
    def errors_above(self) -> bool:
        return bool(getattr(self.form, "errors_above", False))

    @property
    def label_suffix(self) -> str:
        """The field's own suffix, else `` *`` after a required field's label (« Les champs avec
        * sont à renseigner obligatoirement »)."""
        own = getattr(self.field, "label_suffix", None)
        if own is not None:
            return str(own)
        return " *" if self.field.required and getattr(self.form, "mark_required", True) else ""

    def described_by(self) -> list[str]:
        """The ids of the texts that describe the control, in reading order."""
        widget = self.field.widget
        ids = str(widget.attrs.get("aria-describedby", "")).split()
        if getattr(widget, "mode", "") == "operation":
            ids.insert(0, f"{self.auto_id}_question")  # the captcha's question, e.g. « 8 + 4 = »
        if getattr(self.field, "warning", ""):
            ids.append(f"{self.auto_id}-desc-warning")
        if getattr(self.field, "notice", ""):
            ids.append(f"{self.auto_id}-desc-notice")
        if self.errors:
            ids.append(self.error_id)
        return ids

    def control(self) -> SafeString:
        """The widget with DSFR's classes, ``aria-invalid`` and ``aria-describedby``."""
        attrs: dict[str, Any] = {}
        kind = self.kind
        if kind in (INPUT, SELECT, UPLOAD):
            classes = [f"fr-{kind}", str(self.field.widget.attrs.get("class", ""))]
            if self.errors and kind != UPLOAD:
                classes.append(f"fr-{kind}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        if self.errors:
            attrs["aria-invalid"] = "true"
        return self.as_widget(attrs=attrs)

    @property
    def aria_describedby(self) -> str:
        """Django's hook for ``aria-describedby``: ours (its own would point at a help text id
        that this template does not write: the hint is in the label, read with its name)."""
        return " ".join(self.described_by())

    def value(self) -> Any:
        # A value restored after a session ended counts as seen once rendered.
        note_rendered(self.form, self.name)
        return super().value()

    def get_context(self) -> dict[str, Any]:
        # A list of choices renders its own inputs (the fieldset is described by its errors).
        return {"field": self, "control": "" if self.is_list else self.control()}


class DsfrFormRenderer(FormRenderer):
    """The site's renderer (plain inputs written without templates), with the site's field
    template and bound fields."""

    field_template_name = FIELD_TEMPLATE
    bound_field_class = DsfrBoundField
