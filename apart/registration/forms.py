"""Forms of "Créer mon espace": they clean and check input only (no lookup, no write)."""

import json
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from apart.core.captcha import CaptchaFormMixin
from apart.core.forms import CleanTextMixin
from apart.core.forms import validators as v
from apart.core.forms.fields import TextField
from apart.core.text import validate_has_letter_or_digit
from apart.directory.siret import SiretError, clean_siret

SIRET_ERROR_REQUIRED = "Veuillez saisir le numéro de Siret de l'établissement."
TERMS_REQUIRED = "Vous devez accepter les conditions générales d'utilisation."
EMAILS_DIFFER = "Les champs Courriel et Confirmer courriel de l'utilisateur ne sont pas identiques."
ESTABLISHMENT_EMAILS_DIFFER = (
    "Les champs Courriel établissement et Confirmer courriel établissement ne sont pas identiques."
)
ACCENTS_REMOVED = "Les accents ont été retirés de l'adresse électronique."


class _Decorated:
    """Every field carries ``greyed`` and ``notice`` (read by registration/_field.html)."""

    fields: dict[str, forms.Field]

    def _decorate(self) -> None:
        for field in self.fields.values():
            field.greyed = False  # type: ignore[attr-defined]
            field.notice = ""  # type: ignore[attr-defined]
            field.warning = ""  # type: ignore[attr-defined]


class SiretStepForm(_Decorated, CaptchaFormMixin, CleanTextMixin, forms.Form):
    """Step 1: "Veuillez indiquer votre numéro de Siret"."""

    siret = TextField(
        label="N° de Siret",
        max_length=40,  # 14 digits, with the spaces and dots people copy from a Kbis
        error_messages={"required": SIRET_ERROR_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    accept_terms = forms.BooleanField(
        label="J'accepte les conditions générales d'utilisation",
        error_messages={"required": TERMS_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate()

    def clean_siret(self) -> str:
        try:
            return clean_siret(self.cleaned_data["siret"])
        except SiretError as error:
            raise ValidationError(error.message, code="siret") from None


# Fields of step 2 that SIRENE may know; when it does they are greyed and never read from the form.
SIRENE_FIELDS = (
    "denomination",
    "siret",
    "street_number",
    "street_number_extension",
    "street_name",
    "street_type",
    "address_complement",
    "postal_code",
    "city",
)


def _text(label: str, max_length: int, *, required: bool = True, **kwargs: Any) -> TextField:
    return TextField(label=label, max_length=max_length, required=required, **kwargs)


def _email(label: str) -> TextField:
    return TextField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


ESTABLISHMENT_FIELDS = (
    "denomination",
    "siret",
    "street_number",
    "street_number_extension",
    "street_name",
    "street_type",
    "address_complement",
    "postal_code",
    "city",
    "establishment_email",
    "establishment_email_confirm",
    "establishment_phone",
    "fax",
)
ACCOUNT_FIELDS = (
    "last_name",
    "first_name",
    "phone",
    "email",
    "email_confirm",
    "secret_question",
    "secret_answer",
)


class SpaceStepForm(_Decorated, CaptchaFormMixin, CleanTextMixin, forms.Form):
    """Step 2: "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE".

    ``sirene`` holds what SIRENE knows of the establishment (field name -> value); every field
    with a known value is *locked*: shown greyed and read-only, and whatever the browser sends
    for it is replaced by the SIRENE value before any check (a tampered value is ignored).
    """

    # Information établissement
    denomination = _text("Dénomination de l'établissement", 200, check=v.validate_free_text)
    siret = _text("N° de Siret", 14, required=False)
    street_number = _text("Numéro de voie", 10, required=False, check=v.validate_free_text)
    street_number_extension = _text(
        "Extension de voie", 10, required=False, check=v.validate_free_text
    )
    street_name = _text("Libellé de la voie", 200, check=v.validate_free_text)
    street_type = _text("Type de voie", 40, required=False, check=v.validate_free_text)
    address_complement = _text(
        "Complément d'adresse", 200, required=False, check=v.validate_free_text
    )
    postal_code = _text(
        "Code postal",
        5,
        check=v.validate_postal_code,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = _text("Ville", 100, check=v.validate_city)
    establishment_email = _email("Courriel établissement")
    establishment_email_confirm = _email("Confirmer courriel établissement")
    establishment_phone = _text("Téléphone fixe", 25, widget=forms.TextInput(attrs={"type": "tel"}))
    fax = _text("Fax", 25, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    # Compte utilisateur à créer
    last_name = _text(
        "Nom",
        100,
        check=v.validate_person_name,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = _text(
        "Prénom",
        100,
        check=v.validate_person_name,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = _text("Téléphone", 25, widget=forms.TextInput(attrs={"type": "tel"}))
    email = _email("Courriel")
    email_confirm = _email("Confirmer courriel")
    secret_question = _text(
        "Question secrète",
        200,
        check=v.validate_free_text,
        validators=[validate_has_letter_or_digit],
    )
    secret_answer = _text(
        "Réponse",
        100,
        check=v.reject_control_characters,
        validators=[validate_has_letter_or_digit],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # The names already shown with the non-blocking warning: the next ENVOYER with the same
    # names sends (the guide: "contrôles non bloquants"). Forgiving on purpose: anyone may send
    # a name like a title after being warned once, the flag goes with the request to the agent.
    civil_status_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None = None,
        *,
        sirene: Mapping[str, str],
        known_cities: Callable[[str], set[str]] | None = None,
        captcha_passed: bool = False,
        **kwargs: Any,
    ) -> None:
        self.captcha_passed = captcha_passed
        self.sirene = {name: value for name, value in sirene.items() if value}
        self.known_cities = known_cities
        self.locked = frozenset(name for name in SIRENE_FIELDS if name in self.sirene)
        if data is not None:
            data = data.copy()  # type: ignore[union-attr]
            for name in self.locked:
                data[name] = self.sirene[name]
        initial = {**kwargs.pop("initial", {}), **self.sirene}
        super().__init__(data, initial=initial, **kwargs)
        if captcha_passed:
            # Solved on the previous submission (apart/core/captcha_proof.py): not checked again.
            # The field stays, so a page shown again with errors asks a fresh captcha.
            self.fields["captcha"].clean = lambda value: value  # type: ignore[method-assign]
        # Messages shown next to a field that are not errors (accents removed from an email).
        self.notices: dict[str, str] = {}
        self.name_flagged = False
        self.civil_status_confirmed = False
        self._decorate()
        for name in self.locked:
            field = self.fields[name]
            # SIRENE's value is the truth here: the person could not correct it anyway.
            field.check = None  # type: ignore[attr-defined]
            field.max_length = None  # type: ignore[attr-defined]
            field.validators = []
            widget = field.widget
            widget.attrs.update(readonly=True, tabindex="-1", **{"aria-readonly": "true"})
            self.fields[name].greyed = True  # type: ignore[attr-defined]
        # The SIRET is always the one validated at step 1.
        self.fields["siret"].widget.attrs.update(readonly=True)
        self.fields["siret"].greyed = True  # type: ignore[attr-defined]

    # -- emails: accents removed automatically, and the user is told ----------------------------
    def _clean_address(self, name: str) -> str:
        address, accents_removed = v.clean_email_address(self.cleaned_data[name])
        if accents_removed:
            self.notices[name] = ACCENTS_REMOVED
            self.fields[name].notice = ACCENTS_REMOVED  # type: ignore[attr-defined]
            # The form shows the corrected value when it comes back (data is our own copy).
            self.data[name] = address  # type: ignore[index]
        return address

    def clean_establishment_email(self) -> str:
        return self._clean_address("establishment_email")

    def clean_establishment_email_confirm(self) -> str:
        return self._clean_address("establishment_email_confirm")

    def clean_email(self) -> str:
        return self._clean_address("email")

    def clean_email_confirm(self) -> str:
        return self._clean_address("email_confirm")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_same("email", "email_confirm", EMAILS_DIFFER)
        self._check_same(
            "establishment_email", "establishment_email_confirm", ESTABLISHMENT_EMAILS_DIFFER
        )
        self._check_city()
        self._check_phones()
        self._check_civil_status()
        return cleaned

    def _check_same(self, first: str, second: str, message: str) -> None:
        a, b = self.cleaned_data.get(first), self.cleaned_data.get(second)
        if a and b and a != b:
            self.add_error(first, ValidationError(message, code="emails_differ"))
            self.add_error(second, ValidationError(message, code="emails_differ"))

    def _check_city(self) -> None:
        """Code postal and Ville consistent: when the directory knows communes for the postal
        code (SIRENE establishments registered under it, the SIRENE record of this one
        included), the city must be one of them (compared without accents, case, hyphens and
        "St"/"Saint"). An unknown postal code of an existing department is accepted."""
        if {"postal_code", "city"} <= self.locked:
            return
        postal_code, city = self.cleaned_data.get("postal_code"), self.cleaned_data.get("city")
        if not postal_code or not city:
            return
        known = set(self.known_cities(postal_code)) if self.known_cities else set()
        if self.sirene.get("postal_code") == postal_code and self.sirene.get("city"):
            known.add(self.sirene["city"])
        if known and not any(v.same_city(city, name) for name in known):
            self.add_error("city", ValidationError(v.CITY_MISMATCH, code="city_mismatch"))

    def _check_phones(self) -> None:
        postal_code = self.cleaned_data.get("postal_code") or ""
        checks = (
            ("establishment_phone", v.clean_landline),
            ("fax", v.clean_landline),
            ("phone", v.clean_any_phone),
        )
        for name, check in checks:
            raw = self.cleaned_data.get(name)
            if not raw:
                continue
            try:
                self.cleaned_data[name] = check(raw, postal_code=postal_code)
            except ValidationError as error:
                self.add_error(name, error)

    def _check_civil_status(self) -> None:
        """Non-blocking: a name that looks like a company or a title is shown back with the
        warning "Merci de saisir votre état civil uniquement." beside Nom and Prénom; the next
        ENVOYER with the same names sends (the guide's "contrôles non bloquants")."""
        names = [self.cleaned_data.get(name) or "" for name in ("last_name", "first_name")]
        self.name_flagged = any(name and v.looks_like_company_or_title(name) for name in names)
        if not self.name_flagged:
            return
        seen = json.dumps(names, ensure_ascii=False)
        self.civil_status_confirmed = self.cleaned_data.get("civil_status_seen") == seen
        for name in ("last_name", "first_name"):
            self.fields[name].warning = v.CIVIL_STATUS_ONLY  # type: ignore[attr-defined]
        # Shown again, the page remembers the names it warned about (data is our own copy).
        self.data["civil_status_seen"] = seen  # type: ignore[index]

    @property
    def establishment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ESTABLISHMENT_FIELDS]

    @property
    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ACCOUNT_FIELDS]

    def ready(self) -> bool:
        """Valid, and nothing the person must see first (an email the form corrected, a name
        like a title not yet shown with its warning)."""
        return (
            self.is_valid()
            and not self.notices
            and (not self.name_flagged or self.civil_status_confirmed)
        )

    def refilled(self) -> "SpaceStepForm":
        typed = {
            key: value
            for key, value in self.data.items()
            if not key.startswith("captcha") and key not in self.locked
        }
        return type(self)(
            initial=typed,
            sirene=self.sirene,
            known_cities=self.known_cities,
            captcha_mode=self.captcha_mode,
        )
