""" "Mon compte" forms: they clean and check input only."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.core.forms import validators as v
from apart.core.forms.fields import TextField
from apart.core.text import validate_has_letter_or_digit


class PhoneForm(CleanTextMixin, forms.Form):
    mark_required = False  # as before: « Mon compte » marks no field (apart/core/rendering.py)

    phone = TextField(
        label=_("Téléphone"),
        max_length=25,
        error_messages={"required": _("Veuillez saisir votre numéro de téléphone.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        return v.clean_any_phone(self.cleaned_data["phone"], postal_code="")


class EmailChangeForm(CleanTextMixin, forms.Form):
    mark_required = False  # as before: « Mon compte » marks no field (apart/core/rendering.py)

    email = TextField(
        label=_("Nouveau courriel"),
        max_length=254,
        error_messages={"required": _("Veuillez saisir votre nouvelle adresse de courriel.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    email_confirm = TextField(
        label=_("Confirmer le nouveau courriel"),
        max_length=254,
        error_messages={"required": _("Veuillez confirmer votre nouvelle adresse de courriel.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        return v.clean_email_address(self.cleaned_data["email"])[0]

    def clean_email_confirm(self) -> str:
        return v.clean_email_address(self.cleaned_data["email_confirm"])[0]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        a, b = cleaned.get("email"), cleaned.get("email_confirm")
        if a and b and a != b:
            self.add_error(
                "email_confirm",
                ValidationError(
                    _("Les champs Courriel et Confirmer courriel ne sont pas identiques."),
                    code="emails_differ",
                ),
            )
        return cleaned


class SecretQuestionForm(CleanTextMixin, forms.Form):
    """A new secret question and answer (the current password was confirmed just before, on
    « Mot de passe actuel »: apart.accounts.reauth)."""

    mark_required = False  # as before: « Mon compte » marks no field (apart/core/rendering.py)

    secret_question = TextField(
        label=_("Question secrète"),
        max_length=200,
        check=v.validate_free_text,
        validators=[validate_has_letter_or_digit],
    )
    secret_answer = TextField(
        label=_("Réponse"),
        max_length=100,
        check=v.reject_control_characters,
        validators=[validate_has_letter_or_digit],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
