"""One DSFR rendering of every form field (apart/core/rendering.py, core/field.html)."""

import re
from html import unescape

from django import forms


class _Form(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'à l'état civil.")
    city = forms.CharField(label="Ville", required=False)
    kind = forms.ChoiceField(label="Nature", choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(label="J'accepte")
    checks = forms.MultipleChoiceField(
        label="Vérifications", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )
    file = forms.FileField(label="Pièce jointe", required=False)


def _tag(html, element_id):
    return re.search(rf'<(?:input|select)[^>]*id="{element_id}"[^>]*>', html)[0]


def test_a_field_shows_its_label_star_hint_and_dsfr_control():
    html = str(_Form()["name"].as_field_group())

    assert 'class="fr-input-group"' in html
    assert '<label class="fr-label" for="id_name">Nom *<span class="fr-hint-text">' in html
    assert 'class="fr-input"' in _tag(html, "id_name")
    assert "aria-describedby" not in _tag(html, "id_name")


def test_errors_are_under_the_field_and_describe_it():
    form = _Form(data={})

    html = str(form["name"].as_field_group())

    tag = _tag(html, "id_name")
    assert "fr-input-group--error" in html
    assert 'class="fr-input fr-input--error"' in tag
    assert 'aria-invalid="true"' in tag and 'aria-describedby="id_name-desc-error"' in tag
    assert '<div id="id_name-desc-error"><p class="fr-error-text">' in html


def test_each_kind_of_control_gets_its_dsfr_group():
    form = _Form()

    assert 'class="fr-select"' in _tag(str(form["kind"].as_field_group()), "id_kind")
    assert 'class="fr-upload"' in _tag(str(form["file"].as_field_group()), "id_file")
    checkbox = str(form["agree"].as_field_group())
    assert "fr-checkbox-group" in checkbox
    assert checkbox.index('id="id_agree"') < checkbox.index("<label")  # DSFR: box, then label
    checks = str(form["checks"].as_field_group())
    assert checks.lstrip().startswith('<fieldset class="fr-fieldset"')
    assert 'legend class="fr-fieldset__legend fr-fieldset__legend--regular"' in checks
    assert checks.count('class="fr-checkbox-group"') == 2


def test_greyed_fields_say_insee_fills_them_and_warnings_describe_the_field():
    form = _Form()
    form.fields["city"].greyed = True
    form.fields["name"].warning = "Merci de saisir votre état civil uniquement."

    city, name = str(form["city"].as_field_group()), str(form["name"].as_field_group())

    assert "apart-greyed" in city and "renseigné par l'INSEE, non modifiable" in unescape(city)
    assert 'aria-describedby="id_name-desc-warning"' in _tag(name, "id_name")
    assert 'id="id_name-desc-warning"' in name


def test_a_form_may_drop_the_stars_and_show_its_errors_above_the_form():
    class GuideForm(_Form):
        mark_required = False
        errors_above = True

    form = GuideForm(data={})

    html = str(form["name"].as_field_group())

    assert ">Nom<span" in html
    assert 'aria-describedby="id_name-desc-error"' in _tag(html, "id_name")
    assert "fr-error-text" not in html  # said once, by the page's alert of that id


def test_a_description_given_by_the_form_comes_first():
    form = _Form(data={})
    form.fields["name"].widget.attrs["aria-describedby"] = "contraintes"

    tag = _tag(str(form["name"].as_field_group()), "id_name")

    assert 'aria-describedby="contraintes id_name-desc-error"' in tag
