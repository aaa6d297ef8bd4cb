"""Forms of the second factor pages: they clean input only."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.core.i18n import Text
from apart.mfa.models import NAME_MAX_LENGTH

REQUIRED = _("Ce champ est obligatoire.")
MAX_CREDENTIAL_LENGTH = 64 * 1024


def _name_field(initial: Text) -> forms.CharField:
    field = forms.CharField(
        label=_("Nom"),
        initial=initial,
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Donnez un nom pour le reconnaître dans la liste."),
            "max_length": format_lazy(_("{maximum} caractères au plus."), maximum=NAME_MAX_LENGTH),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )
    field.notice = _("Pour le reconnaître dans la liste (ex. : Téléphone professionnel).")  # type: ignore[attr-defined]
    return field


class TotpEnrolForm(CleanTextMixin, forms.Form):
    name = _name_field(_("Application d'authentification"))
    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Saisissez le code à 6 chiffres affiché par votre application."),
            "max_length": _("Saisissez le code à 6 chiffres affiché par votre application."),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )
    code.notice = _(  # type: ignore[attr-defined]
        "Affiché par l'application après l'ajout du compte ; il change toutes les 30 secondes."
    )


class PasskeyEnrolForm(CleanTextMixin, forms.Form):
    name = _name_field(_("Clé d'accès"))
    credential = forms.CharField(
        widget=forms.HiddenInput,
        max_length=MAX_CREDENTIAL_LENGTH,
        error_messages={
            "required": _("La clé d'accès n'a pas été créée. Réessayez."),
            "max_length": _("La réponse de la clé d'accès est trop longue."),
        },
    )


class VerifyForm(CleanTextMixin, forms.Form):
    """The second step: a code (app or recovery code) or a passkey's signed answer."""

    code = forms.CharField(
        label=_("Code de vérification"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
        error_messages={
            "max_length": _("Code incorrect ou déjà utilisé."),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )
    credential = forms.CharField(
        required=False, widget=forms.HiddenInput, max_length=MAX_CREDENTIAL_LENGTH
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not cleaned.get("code") and not cleaned.get("credential") and not self.errors:
            self.add_error("code", _("Saisissez un code ou utilisez votre clé d'accès."))
        return cleaned
