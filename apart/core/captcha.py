"""Captcha adapter over django-simple-captcha.

Two modes share one field: ``image`` (the guide's "Recopier le code ci-contre") and ``operation``
(a question written as text whose form varies, apart.core.text_challenge: the guide's recovery
captcha, and the accessible alternative to the image, RGAA 1.4/1.5). Both are answered once: a
store row is deleted on the first attempt, right or wrong.

Switching mode or asking for another code are submit buttons (they work without JavaScript and
keep what the user typed): views call :func:`captcha_switch` first and re-render when it answers.

``settings.APART_CAPTCHA_TEST_ANSWER`` (automated tests only; production refuses to start with it)
is accepted by every captcha.
"""

import re
import secrets
from collections.abc import Mapping
from typing import Any

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from apart.core.text_challenge import canonical_answer, new_seed, question_from_seed

IMAGE = "image"
OPERATION = "operation"
MODES = (IMAGE, OPERATION)

SWITCH_FIELD = "captcha_switch"  # name of the submit buttons that change the captcha
MODE_FIELD = "captcha_mode"
CAPTCHA_ERROR = gettext_noop("Le captcha n'a pas été entré correctement. Essayez à nouveau.")


def image_challenge() -> tuple[str, str]:
    """Six characters without look-alikes (no 0/O, 1/l/I)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    word = "".join(secrets.choice(alphabet) for _ in range(settings.CAPTCHA_LENGTH))
    return word, word


class CaptchaWidget(CaptchaTextInput):
    template_name = "core/captcha/widget.html"

    def __init__(self, mode: str = IMAGE) -> None:
        self.mode = mode
        super().__init__(attrs={"class": "fr-input", "autocomplete": "off"})

    def fetch_captcha_store(
        self, name: str, value: Any, attrs: Any = None, generator: Any = None
    ) -> None:
        if self.mode == OPERATION:
            # The store keeps the question's seed (its column is 32 characters long).
            challenge = new_seed()
            question, response = question_from_seed(challenge)
        else:
            challenge, response = image_challenge()
            question = ""
        store = CaptchaStore.objects.create(challenge=challenge, response=response)
        self._key = store.hashkey
        self._value = [store.hashkey, ""]
        self._challenge = question
        self.id_ = self.build_attrs(attrs).get("id", None)

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context.update(
            mode=self.mode,
            operation=self._challenge if self.mode == OPERATION else "",
            switch_field=SWITCH_FIELD,
            mode_field=MODE_FIELD,
        )
        return context


class SecurityCaptchaField(CaptchaField):
    """The site's captcha; see the module docstring."""

    def __init__(self, *, mode: str = IMAGE, **kwargs: Any) -> None:
        kwargs.setdefault("label", label_for(mode))
        kwargs.setdefault(
            "error_messages",
            {"invalid": gettext(CAPTCHA_ERROR), "required": gettext(CAPTCHA_ERROR)},
        )
        super().__init__(widget=CaptchaWidget(mode), **kwargs)

    def clean(self, value: Any) -> Any:
        test_answer = settings.APART_CAPTCHA_TEST_ANSWER
        answer = (value[1] if value and len(value) > 1 else "") or ""
        # A key this site handed out is 40 hex digits (django-simple-captcha's); any other is
        # refused before a query, so that a forged one (a NUL byte on PostgreSQL) is no error.
        well_formed = bool(value) and bool(_HASHKEY.fullmatch(str(value[0])))
        if test_answer and not settings.IS_PRODUCTION and answer.strip() == test_answer:
            if well_formed:
                CaptchaStore.objects.filter(hashkey=value[0]).delete()
            return value
        if not well_formed:
            raise ValidationError(gettext(CAPTCHA_ERROR), code="invalid")
        if isinstance(self.widget, CaptchaWidget) and self.widget.mode == OPERATION:
            return self._clean_text_answer(value)
        try:
            return super().clean(value)
        except ValidationError:
            raise ValidationError(gettext(CAPTCHA_ERROR), code="invalid") from None

    def _clean_text_answer(self, value: Any) -> Any:
        """The text question accepts its answer in digits or in words; one attempt per question
        (the row is deleted whatever the answer), within CAPTCHA_TIMEOUT."""
        key = str(value[0]) if value else ""
        answer = str(value[1]) if value and len(value) > 1 else ""
        store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
        CaptchaStore.objects.filter(hashkey=key).delete()
        if store is None or not answer or canonical_answer(answer) != store.response:
            raise ValidationError(gettext(CAPTCHA_ERROR), code="invalid")
        return value


_HASHKEY = re.compile(r"[0-9a-f]{40}")


def label_for(mode: str) -> str:
    if mode == OPERATION:
        return gettext("Veuillez résoudre l'opération suivante")
    return gettext("Recopier le code ci-contre")


def requested_mode(data: Mapping[str, Any], default: str = IMAGE) -> str:
    """The captcha mode the page is in (hidden field, or the button just pressed)."""
    switch = data.get(SWITCH_FIELD)
    if switch in MODES:
        return str(switch)
    mode = data.get(MODE_FIELD)
    return str(mode) if mode in MODES else default


def captcha_switch(data: QueryDict) -> bool:
    """True when the user asked for another code or the other kind of captcha.

    The view then shows the same form again, filled with what was typed, with a new captcha and
    no error message.
    """
    return SWITCH_FIELD in data


class CaptchaFormMixin(forms.Form):
    """Adds the captcha (and its mode, kept across submissions) as the last fields of a form."""

    captcha_default_mode = IMAGE

    def __init__(self, *args: Any, captcha_mode: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else {}
        mode = captcha_mode or requested_mode(source, self.captcha_default_mode)
        self.captcha_mode = mode
        self.fields[MODE_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=mode
        )
        self.fields["captcha"] = SecurityCaptchaField(mode=mode)

    def refilled(self) -> "CaptchaFormMixin":
        """The same form, unbound, filled with what was typed (captcha and passwords aside)."""
        typed = {
            key: value
            for key, value in self.data.items()
            if not key.startswith("captcha") and "password" not in key
        }
        return type(self)(initial=typed, captcha_mode=self.captcha_mode)
