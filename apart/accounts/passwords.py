"""The password policy (one place, configured in settings.AUTH_PASSWORD_VALIDATORS) and the
temporary passwords sent by email.

Guide, "Première connexion": « Le mot de passe doit être différent de l'identifiant et comporter
8 caractères minimum dont 1 chiffre et 1 caractère spécial minimum (exemples: „?!:;%#). Les
caractères accentués ne sont pas autorisés. » and the list shown by « GESTION DU MOT DE PASSE ».
"""

from __future__ import annotations

import secrets
import string
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

# Every ASCII punctuation character counts as special (a user who types "~" or "<" should not be
# told that the password has no special character), plus the guide's own first example "„".
DEFAULT_SPECIAL_CHARACTERS = string.punctuation + "„"
DEFAULT_SPECIAL_EXAMPLES = "„?!:;%#"  # the guide's own examples, shown as printed there


@dataclass(frozen=True)
class Policy:
    min_length: int = 8
    min_lower: int = 1
    min_upper: int = 1
    min_digits: int = 1
    min_special: int = 1
    special_characters: str = DEFAULT_SPECIAL_CHARACTERS
    special_examples: str = DEFAULT_SPECIAL_EXAMPLES


class PasswordPolicyValidator:
    """All the rules of the guide; each failed rule raises its own French message."""

    def __init__(self, **options: Any) -> None:
        self.policy = Policy(**options)

    def validate(self, password: str, user: Any = None) -> None:
        policy = self.policy
        errors: list[ValidationError] = []
        if len(password) < policy.min_length:
            errors.append(
                ValidationError(
                    gettext("Votre mot de passe doit comporter au moins %(min)d caractères"),
                    code="password_too_short",
                    params={"min": policy.min_length},
                )
            )
        counts = {
            "lower": sum(char in string.ascii_lowercase for char in password),
            "upper": sum(char in string.ascii_uppercase for char in password),
            "digits": sum(char in string.digits for char in password),
            "special": sum(char in policy.special_characters for char in password),
        }
        for kind, minimum, message in (
            ("upper", policy.min_upper, gettext("Votre mot de passe n'a pas assez de majuscules")),
            ("lower", policy.min_lower, gettext("Votre mot de passe n'a pas assez de minuscules")),
            ("digits", policy.min_digits, gettext("Votre mot de passe n'a pas assez de chiffres")),
            (
                "special",
                policy.min_special,
                gettext("Votre mot de passe n'a pas assez de caractères spéciaux"),
            ),
        ):
            if counts[kind] < minimum:
                errors.append(ValidationError(message, code=f"password_few_{kind}"))
        if any(_is_accented(char) for char in password):
            errors.append(
                ValidationError(
                    gettext("Les caractères accentués ne sont pas autorisés"),
                    code="password_accented",
                )
            )
        elif any(not _is_allowed(char, policy) for char in password):
            errors.append(
                ValidationError(
                    gettext(
                        "Votre mot de passe contient un caractère non autorisé : utilisez des "
                        "lettres sans accent, des chiffres et les caractères spéciaux %(specials)s"
                    ),
                    code="password_forbidden_character",
                    params={"specials": " ".join(policy.special_characters)},
                )
            )
        login = getattr(user, "login", "") or ""
        if login and password.casefold() == login.casefold():
            errors.append(
                ValidationError(
                    gettext(
                        "Votre nouveau mot de passe ne doit pas être identique à votre identifiant"
                    ),
                    code="password_is_login",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return policy_sentence(self.policy)


class FrenchCommonPasswordValidator(CommonPasswordValidator):
    """Django's list of 20,000 common passwords, with the message in French."""

    def get_error_message(self) -> str:
        return gettext("Ce mot de passe est trop courant")

    def get_help_text(self) -> str:
        return gettext("Le mot de passe ne doit pas être un mot de passe courant.")


def _is_accented(char: str) -> bool:
    if char.isascii():
        return False
    return unicodedata.normalize("NFKD", char) != char and char.isalpha()


def _is_allowed(char: str, policy: Policy) -> bool:
    return (
        char in string.ascii_letters or char in string.digits or char in policy.special_characters
    )


def current_policy() -> Policy:
    """The policy configured in settings.AUTH_PASSWORD_VALIDATORS (defaults if absent).

    Django's cached validator instances: building them anew read and decompressed the 20,000
    common passwords at every call (~7 ms, seen in the surge profile at each registration).
    The cache is cleared when the setting changes (tests' ``settings`` fixture included)."""
    for validator in get_default_password_validators():
        if isinstance(validator, PasswordPolicyValidator):
            return validator.policy
    return Policy()


def policy_sentence(policy: Policy | None = None) -> str:
    """The guide's sentence, shown on the password change page."""
    policy = policy or current_policy()
    return gettext(
        "Le mot de passe doit être différent de l'identifiant et comporter {min_length} "
        "caractères minimum dont {min_digits} chiffre et {min_special} caractère spécial minimum "
        "(exemples: {examples}). Les caractères accentués ne sont pas autorisés."
    ).format(
        min_length=policy.min_length,
        min_digits=policy.min_digits,
        min_special=policy.min_special,
        examples=policy.special_examples,
    )


def policy_rules(policy: Policy | None = None) -> list[str]:
    """The guide's list (« Votre mot de passe doit respecter les contraintes suivantes : »)."""
    policy = policy or current_policy()
    return [
        gettext("Nombre minimum de caractères : {count}").format(count=policy.min_length),
        gettext("Nombre minimum de minuscules : {count}").format(count=policy.min_lower),
        gettext("Nombre minimum de majuscules : {count}").format(count=policy.min_upper),
        gettext("Nombre minimum de chiffres : {count}").format(count=policy.min_digits),
        gettext("Nombre minimum de caractères spéciaux : {count}").format(count=policy.min_special),
        gettext("Votre nouveau mot de passe ne doit pas être identique à votre identifiant"),
    ]


@dataclass(frozen=True)
class Check:
    """One line of the password checklist; ``code`` and the data let the page's script tick it
    as the person types (static/accounts/password-checklist.js)."""

    code: str
    text: str
    minimum: int = 0
    characters: str = ""


PASSWORDS_DIFFER = gettext_lazy("Les mots de passe ne correspondent pas")


def policy_checklist(policy: Policy | None = None) -> list[Check]:
    """Every rule a new password must meet, stated in full wherever one is chosen: the guide's
    list (« GESTION DU MOT DE PASSE »), the accents, and the confirmation."""
    policy = policy or current_policy()
    rules = policy_rules(policy)
    return [
        Check("length", rules[0], minimum=policy.min_length),
        Check("lower", rules[1], minimum=policy.min_lower),
        Check("upper", rules[2], minimum=policy.min_upper),
        Check("digits", rules[3], minimum=policy.min_digits),
        Check(
            "special",
            gettext("{rule} (exemples : {examples})").format(
                rule=rules[4], examples=policy.special_examples
            ),
            minimum=policy.min_special,
            characters=policy.special_characters,
        ),
        Check("accents", gettext("Les caractères accentués ne sont pas autorisés")),
        Check("login", rules[5]),
        Check("confirmation", gettext("La confirmation est identique au nouveau mot de passe")),
    ]


# Temporary passwords are read from an email and typed by hand: no look-alike characters
# (0/O/o, 1/l/I/i/|, 5/S, 2/Z, 8/B, quotes and backquote, comma/period/semicolon/colon).
_TEMP_LOWER = "abcdefghjkmnpqrstuvwxy"
_TEMP_UPPER = "ACDEFGHJKLMNPQRTUVWXY"
_TEMP_DIGITS = "34679"
_TEMP_SPECIAL = "!#%*+=?@$&"
TEMPORARY_PASSWORD_LENGTH = 12


def generate_temporary_password(user: Any = None) -> str:
    """A random password (secrets) that satisfies the configured policy, without look-alikes."""
    policy = current_policy()
    length = max(TEMPORARY_PASSWORD_LENGTH, policy.min_length)
    specials = "".join(c for c in _TEMP_SPECIAL if c in policy.special_characters) or "!"
    required = (
        [secrets.choice(_TEMP_LOWER) for _ in range(max(1, policy.min_lower))]
        + [secrets.choice(_TEMP_UPPER) for _ in range(max(1, policy.min_upper))]
        + [secrets.choice(_TEMP_DIGITS) for _ in range(max(1, policy.min_digits))]
        + [secrets.choice(specials) for _ in range(max(1, policy.min_special))]
    )
    alphabet = _TEMP_LOWER + _TEMP_UPPER + _TEMP_DIGITS + specials
    while True:
        chars = required + [secrets.choice(alphabet) for _ in range(length - len(required))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:  # pragma: no cover - astronomically unlikely (common password)
            continue
        return password
