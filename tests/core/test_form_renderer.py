"""The form renderer writes the plain <input> widgets exactly as Django's templates do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from apart.core.forms.renderer import FormRenderer

ODD = "a\"b<c>&d'e"

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"class": "fr-input", "autocomplete": "username", "maxlength": 150}),
    forms.TextInput(attrs={"required": True, "disabled": False, "aria-invalid": "true"}),
    forms.TextInput(attrs={"data-x": ODD, "data-zero": 0, "data-safe": mark_safe("<b>")}),
    forms.PasswordInput(render_value=True),
    forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    forms.HiddenInput(),
    forms.EmailInput(attrs={"inputmode": "email"}),
    forms.NumberInput(attrs={"min": 0, "max": 9.5, "step": "any"}),
    forms.DateInput(),
    forms.URLInput(),
    forms.CheckboxInput(),
    forms.CheckboxInput(check_test=lambda value: True),
    forms.FileInput(),
]
VALUES = [None, "", "Ilmen", ODD, 0, 12.5, mark_safe("<i>déjà sûr</i>"), "é ü ✓", True]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_plain_input_is_written_as_django_writes_it(widget, value):
    expected = widget.render("champ", value, attrs={"id": "id_champ"}, renderer=DjangoTemplates())

    written = widget.render("champ", value, attrs={"id": "id_champ"}, renderer=FormRenderer())

    assert written == expected


def test_a_value_of_another_kind_goes_to_the_templates():
    class Odd:
        def __str__(self):
            return ODD

    widget = forms.TextInput(attrs={"data-odd": Odd()})

    written = widget.render("champ", Odd(), renderer=FormRenderer())

    assert written == widget.render("champ", Odd(), renderer=DjangoTemplates())


def test_other_widgets_still_use_their_templates():
    widget = forms.Select(choices=[("1", "Un"), ("2", ODD)])

    written = widget.render("champ", "2", renderer=FormRenderer())

    assert written == widget.render("champ", "2", renderer=DjangoTemplates())
    assert "<option" in written


def test_the_site_uses_it(settings):
    # The site's renderer (apart.core.rendering: one DSFR field template) extends it.
    assert issubclass(import_string(settings.FORM_RENDERER), FormRenderer)
    assert isinstance(get_default_renderer(), FormRenderer)
