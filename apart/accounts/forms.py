"""Forms of the login and password change pages: they clean input only."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apart.accounts.logins import LOGIN_MAX_LENGTH
from apart.accounts.models import Account
from apart.accounts.passwords import PASSWORDS_DIFFER
from apart.core.forms import CleanTextMixin
from apart.core.i18n import Text
from apart.core.text import validate_has_letter_or_digit

PASSWORD_MAX_LENGTH = 128
REQUIRED = _("Ce champ est obligatoire.")
TOO_LONG = _("Ce champ ne peut pas dépasser %(limit_value)d caractères.")
NOT_PRINTABLE = _("Ce champ contient des caractères non autorisés.")


def _refuse_control_characters(value: str) -> None:
    # NUL bytes, control and format characters (RTL overrides...) have no place in a login or
    # a password; refusing them here keeps them away from the database and the audit trail.
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} for char in value):
        raise ValidationError(NOT_PRINTABLE, code="not_printable")


class _PasswordField(forms.CharField):
    def __init__(
        self, *, label: Text, autocomplete: str, describedby: str = "", **kwargs: Any
    ) -> None:
        attrs = {"autocomplete": autocomplete}
        if describedby:
            attrs["aria-describedby"] = describedby
        super().__init__(
            label=label,
            max_length=PASSWORD_MAX_LENGTH,
            strip=False,
            widget=forms.PasswordInput(attrs=attrs),
            error_messages={"required": REQUIRED, "max_length": TOO_LONG},
            validators=[_refuse_control_characters],
            **kwargs,
        )


class LoginForm(CleanTextMixin, forms.Form):
    mark_required = False  # the guide's own labels, no « * » (apart/core/rendering.py)

    login = forms.CharField(
        label=_("Utilisateur :"),
        max_length=LOGIN_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": REQUIRED, "max_length": TOO_LONG},
        validators=[_refuse_control_characters],
    )
    password = _PasswordField(label=_("Mot de passe :"), autocomplete="current-password")
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)


class PasswordChangeForm(CleanTextMixin, forms.Form):
    """« Changement du mot de passe pour <login> » (guide, « Première connexion », step 2)."""

    mark_required = False  # the guide's own labels, no « * » (apart/core/rendering.py)

    old_password = _PasswordField(
        label=_("Entrez l'ancien mot de passe :"), autocomplete="current-password"
    )
    new_password = _PasswordField(
        label="Entrez le nouveau mot de passe :",
        autocomplete="new-password",
        describedby="contraintes",  # the checklist of the password rules
    )
    confirmation = _PasswordField(
        label=_("Confirmez le nouveau mot de passe :"), autocomplete="new-password"
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not self.account.check_password(old):
            raise ValidationError(_("L'ancien mot de passe est incorrect."), code="wrong_password")
        return old

    def clean_new_password(self) -> str:
        new: str = self.cleaned_data["new_password"]
        validate_password(new, self.account)
        return new

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new, confirmation = cleaned.get("new_password"), cleaned.get("confirmation")
        old = cleaned.get("old_password")
        # Compared as typed: a new password that breaks a rule and differs from its
        # confirmation gets every message at once.
        typed = self.data.get(self.add_prefix("new_password"))
        if typed and confirmation and typed != confirmation:
            self.add_error("confirmation", PASSWORDS_DIFFER)
        elif new and old and new == old:
            self.add_error(
                "new_password", "Le nouveau mot de passe doit être différent de l'ancien."
            )
        return cleaned


class SecretQuestionForm(CleanTextMixin, forms.Form):
    """A new secret question, asked at login after the assistance reset it (or for an account
    imported from a sibling extranet that never had one)."""

    mark_required = False  # the guide's own labels, no « * » (apart/core/rendering.py)

    question = forms.CharField(
        label=_("Question secrète :"),
        max_length=200,
        error_messages={"required": REQUIRED, "max_length": TOO_LONG},
        validators=[_refuse_control_characters, validate_has_letter_or_digit],
    )
    answer = forms.CharField(
        label=_("Réponse :"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": REQUIRED, "max_length": TOO_LONG},
        validators=[_refuse_control_characters, validate_has_letter_or_digit],
    )

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"].strip()
        if not question:
            raise ValidationError(REQUIRED, code="required")
        return question

    def clean_answer(self) -> str:
        answer: str = self.cleaned_data["answer"]
        if not answer.strip():
            raise ValidationError(REQUIRED, code="required")
        return answer


class ReauthForm(CleanTextMixin, forms.Form):
    """« Mot de passe actuel »: the proof asked before a sensitive change."""

    mark_required = False  # the guide's own labels, no « * » (apart/core/rendering.py)

    password = _PasswordField(label="Mot de passe actuel", autocomplete="current-password")
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
