"""Field types shared by the forms of several apps (no business rule)."""

import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apart.core.forms import validators as v
from apart.core.i18n import Text


class TextField(forms.CharField):
    """A trimmed text field whose extra checks run on the stripped value.

    Control characters (NUL included) get the form's own French message instead of Django's
    generic one, before any other check.
    """

    def __init__(self, *, check: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)
        # Django's own NUL validator would answer first, in other words: ours covers it.
        self.validators = [
            validator
            for validator in self.validators
            if type(validator).__name__ != "ProhibitNullCharactersValidator"
        ]

    def to_python(self, value: Any) -> str:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        v.reject_control_characters(text)
        return str(super().to_python(text))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and self.check is not None:
            self.check(value)


def validate_multiline(value: str) -> None:
    """Free text over several lines: line breaks and tabs allowed, other control characters
    (NUL included) and markup characters refused."""
    if any(
        unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co"} and char not in "\r\n\t"
        for char in value
    ):
        raise ValidationError(v.FORBIDDEN_CHARACTERS, code="forbidden_characters")
    if any(char in "<>" for char in value):
        raise ValidationError(v.FORBIDDEN_CHARACTERS, code="forbidden_characters")


class MultilineField(forms.CharField):
    """A textarea whose NUL bytes get our French message rather than Django's."""

    widget = forms.Textarea

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if type(validator).__name__ != "ProhibitNullCharactersValidator"
        ]

    def to_python(self, value: Any) -> str:
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        validate_multiline(text)
        return str(super().to_python(text))


def text_field(label: Text, max_length: int, *, required: bool = True, **kwargs: Any) -> TextField:
    return TextField(label=label, max_length=max_length, required=required, **kwargs)


def email_field(label: Text) -> TextField:
    """An email typed by the person (cleaned by validators.clean_email_address in the form)."""
    return TextField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
