"""The establishment's SIRET and "Information établissement": « DEMANDE CRÉATION DE COMPTE » while
logged in, and the establishment's block of "Créer mon espace" step 2."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apart.core.forms import DecoratedForm
from apart.core.forms import validators as v
from apart.core.forms.fields import TextField, email_field, text_field
from apart.core.i18n import Text
from apart.directory.siret import SiretError, clean_siret
from apart.establishments.services.spaces import EstablishmentDetails

SIRET_ERROR_REQUIRED = _("Veuillez saisir le numéro de Siret de l'établissement.")
ESTABLISHMENT_EMAILS_DIFFER = _(
    "Les champs Courriel établissement et Confirmer courriel établissement ne sont pas identiques."
)
ACCENTS_REMOVED = _("Les accents ont été retirés de l'adresse électronique.")


class SiretForm(DecoratedForm):
    """ "DEMANDE CRÉATION DE COMPTE" while logged in, step 1: the SIRET (no captcha: the person
    is authenticated; the view rate-limits per account)."""

    siret = TextField(
        label=_("N° de Siret"),
        max_length=40,  # 14 digits, with the spaces and dots people copy from a Kbis
        error_messages={"required": SIRET_ERROR_REQUIRED},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_siret(self) -> str:
        try:
            return clean_siret(self.cleaned_data["siret"])
        except SiretError as error:
            raise ValidationError(error.message, code="siret") from None


# Fields of the establishment's block that SIRENE may know; when it does they are greyed and
# never read from the form.
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
ESTABLISHMENT_FIELDS = (
    *SIRENE_FIELDS,
    "establishment_email",
    "establishment_email_confirm",
    "establishment_phone",
    "fax",
)
PhoneCheck = Callable[..., str]


class EstablishmentDetailsForm(DecoratedForm):
    """ "Information établissement", the block of "Créer mon espace" step 2 that also makes
    « DEMANDE CRÉATION DE COMPTE » while logged in.

    ``sirene`` holds what SIRENE knows of the establishment (field name -> value); every field
    with a known value is *locked*: shown greyed and read-only, and whatever the browser sends
    for it is replaced by the SIRENE value before any check (a tampered value is ignored).
    """

    phone_checks: tuple[tuple[str, PhoneCheck], ...] = (
        ("establishment_phone", v.clean_landline),
        ("fax", v.clean_landline),
    )

    denomination = text_field(_("Dénomination de l'établissement"), 200, check=v.validate_free_text)
    siret = text_field(_("N° de Siret"), 14, required=False)
    street_number = text_field(_("Numéro de voie"), 10, required=False, check=v.validate_free_text)
    street_number_extension = text_field(
        _("Extension de voie"), 10, required=False, check=v.validate_free_text
    )
    street_name = text_field(_("Libellé de la voie"), 200, check=v.validate_free_text)
    street_type = text_field(_("Type de voie"), 40, required=False, check=v.validate_free_text)
    address_complement = text_field(
        _("Complément d'adresse"), 200, required=False, check=v.validate_free_text
    )
    postal_code = text_field(
        _("Code postal"),
        5,
        check=v.validate_postal_code,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = text_field(_("Ville"), 100, check=v.validate_city)
    establishment_email = email_field(_("Courriel établissement"))
    establishment_email_confirm = email_field(_("Confirmer courriel établissement"))
    establishment_phone = text_field(
        _("Téléphone fixe"), 25, widget=forms.TextInput(attrs={"type": "tel"})
    )
    fax = text_field(_("Fax"), 25, required=False, widget=forms.TextInput(attrs={"type": "tel"}))

    def __init__(
        self,
        data: QueryDict | Mapping[str, Any] | None = None,
        *,
        sirene: Mapping[str, str],
        known_cities: Callable[[str], set[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.sirene = {name: value for name, value in sirene.items() if value}
        self.known_cities = known_cities
        self.locked = frozenset(name for name in SIRENE_FIELDS if name in self.sirene)
        if data is not None:
            data = data.copy()  # type: ignore[union-attr]
            for name in self.locked:
                data[name] = self.sirene[name]
        initial = {**kwargs.pop("initial", {}), **self.sirene}
        super().__init__(data, initial=initial, **kwargs)
        # Messages shown next to a field that are not errors (accents removed from an email).
        self.notices: dict[str, Text] = {}
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_all()
        return cleaned

    def _check_all(self) -> None:
        self._check_same(
            "establishment_email", "establishment_email_confirm", ESTABLISHMENT_EMAILS_DIFFER
        )
        self._check_city()
        self._check_phones()

    def _check_same(self, first: str, second: str, message: Text) -> None:
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
        for name, check in self.phone_checks:
            raw = self.cleaned_data.get(name)
            if not raw:
                continue
            try:
                self.cleaned_data[name] = check(raw, postal_code=postal_code)
            except ValidationError as error:
                self.add_error(name, error)

    @property
    def establishment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ESTABLISHMENT_FIELDS]

    def ready(self) -> bool:
        """Valid, and nothing the person must see first (an email the form corrected)."""
        return self.is_valid() and not self.notices

    def details(self) -> EstablishmentDetails:
        """The block, cleaned, as the services take it."""
        data = self.cleaned_data
        return EstablishmentDetails(
            denomination=data["denomination"],
            street_number=data["street_number"],
            street_number_extension=data["street_number_extension"],
            street_name=data["street_name"],
            street_type=data["street_type"],
            address_complement=data["address_complement"],
            postal_code=data["postal_code"],
            city=data["city"],
            email=data["establishment_email"],
            phone=data["establishment_phone"],
            fax=data["fax"],
        )
