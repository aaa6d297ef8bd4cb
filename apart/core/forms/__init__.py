"""Form helpers with no business rule."""

from __future__ import annotations

from typing import Any

from django import forms

from apart.core.forms.restore import fill_initial
from apart.core.text import normalize_text, validate_multiline_text, validate_text


def _normalizing(to_python: Any) -> Any:
    def wrapped(value: Any) -> Any:
        result = to_python(value)
        return normalize_text(result) if isinstance(result, str) else result

    return wrapped


class CleanTextMixin(forms.Form):
    """Every text field of the form refuses invisible, control and unreadable characters and lone
    accents with a French message next to the field (apart.core.text), and gives its value NFC-
    normalised to the form. Password fields are checked by their own validators and never
    normalised (a password is compared exactly as typed). Every form of the site uses it
    (tests/core/test_text.py checks that none is left out).

    An empty form also starts from what its user typed before the session ended, when that is
    being restored (apart.core.forms.restore)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fill_initial(self)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput | forms.HiddenInput
            ):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            check = validate_multiline_text if multiline else validate_text
            field.validators = [check, *field.validators]
            field.to_python = _normalizing(field.to_python)  # type: ignore[method-assign]


class DecoratedForm(CleanTextMixin, forms.Form):
    """Every field carries ``greyed``, ``notice`` and ``warning`` (read by core/field.html)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate()

    def _decorate(self) -> None:
        """Give the fields that have none the default decorations (fields added after the
        form's own __init__, such as the captcha's, get them by a second call)."""
        for field in self.fields.values():
            if not hasattr(field, "greyed"):
                field.greyed = False  # type: ignore[attr-defined]
                field.notice = ""  # type: ignore[attr-defined]
                field.warning = ""  # type: ignore[attr-defined]
