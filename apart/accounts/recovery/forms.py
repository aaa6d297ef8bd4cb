"""Forms of the recovery journeys: they clean what was typed, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apart.accounts.models import Account
from apart.accounts.passwords import PASSWORDS_DIFFER
from apart.core.captcha import OPERATION, CaptchaFormMixin
from apart.core.forms import CleanTextMixin
from apart.core.normalize import normalize_email
from apart.core.text import validate_has_letter_or_digit

# Guide, chapter 3, « En cas d'erreur (saisie d'une adresse mail au lieu d'un identifiant) ».
EMAIL_INSTEAD_OF_LOGIN = _("Opération impossible pour ce type d'utilisateur")
EMAIL_INSTEAD_OF_LOGIN_HELP = _(
    "Entrez votre identifiant pour réinitialiser votre mot de passe. "
    "Cliquez ensuite sur le lien transmis par mail."
)
INVALID_EMAIL = _("L'adresse électronique est invalide.")


class _GuidePage(forms.Form):
    """The recovery pages as the guide shows them: each error above the form as a « ! » message
    (recovery/_error_alerts.html; the field is marked and described by it, not repeated under
    it), labels without « * », the captcha's label followed by « : »."""

    mark_required = False
    errors_above = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "captcha" in self.fields:
            self.fields["captcha"].label_suffix = gettext(" :")


class PasswordForgottenForm(_GuidePage, CaptchaFormMixin, CleanTextMixin):
    """Step 1 of « J'ai oublié mon mot de passe »: the login and the arithmetic operation."""

    captcha_default_mode = OPERATION

    login = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        error_messages={
            "required": _("Veuillez saisir votre identifiant."),
            "max_length": _("Un identifiant compte au plus %(limit_value)d caractères."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )

    def clean_login(self) -> str:
        login: str = self.cleaned_data["login"]
        # Depends only on the shape of what was typed, never on whether an account exists.
        if "@" in login:
            raise ValidationError(EMAIL_INSTEAD_OF_LOGIN, code="email_instead_of_login")
        return login


class LoginForgottenForm(_GuidePage, CaptchaFormMixin, CleanTextMixin):
    """Step 1 of « J'ai oublié mon identifiant »: the email and the arithmetic operation."""

    captcha_default_mode = OPERATION

    email = forms.CharField(
        label=_("Courriel"),
        max_length=254,
        error_messages={
            "required": _("Veuillez saisir l'adresse de courriel de votre compte."),
            "max_length": INVALID_EMAIL,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        # Emails are stored without accents (guide): « Gérard@... » is accepted as « gerard@... ».
        email = normalize_email(self.cleaned_data["email"])
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(INVALID_EMAIL, code="invalid") from None
        return email


class SecretAnswerForm(_GuidePage, CleanTextMixin):
    """Step 2 of both journeys: « Réponse secrète »."""

    answer = forms.CharField(
        label=_("Réponse secrète"),
        max_length=200,
        error_messages={
            "required": _("Veuillez saisir votre réponse secrète."),
            "max_length": _("Une réponse secrète compte au plus %(limit_value)d caractères."),
        },
        widget=forms.TextInput(
            # Described by the question shown above it (recovery/_question_form.html).
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "aria-describedby": "question-secrete",
            }
        ),
        # An accent or punctuation alone folds to nothing: refused before any hash, whether
        # the account exists or not.
        validators=[validate_has_letter_or_digit],
    )


class NewPasswordForm(_GuidePage, CaptchaFormMixin, CleanTextMixin):
    """The reset link's page: « Nouveau mot de passe », « Confirmation » and the captcha.

    Every rule of the password policy (settings.AUTH_PASSWORD_VALIDATORS) that fails gives its
    own message, e.g. « Votre mot de passe n'a pas assez de majuscules ».
    """

    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        max_length=128,
        strip=False,
        error_messages={
            "required": _("Veuillez saisir votre nouveau mot de passe."),
            "max_length": _("Un mot de passe compte au plus %(limit_value)d caractères."),
        },
        # Described by the checklist of the password rules (« contraintes »).
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "aria-describedby": "contraintes"}
        ),
    )
    password2 = forms.CharField(
        label=_("Confirmation"),
        max_length=128,
        strip=False,
        error_messages={
            "required": _("Veuillez confirmer votre nouveau mot de passe."),
            "max_length": _("Un mot de passe compte au plus %(limit_value)d caractères."),
        },
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, account: Account | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_password1(self) -> str:
        password: str = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.account)
        return password

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Compared as typed: a password that breaks a rule and differs from its confirmation
        # gets both messages at once.
        first, second = self.data.get(self.add_prefix("password1")), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(PASSWORDS_DIFFER, code="mismatch"))
        return cleaned
