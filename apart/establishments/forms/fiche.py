"""The fiche établissement and its bank details."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apart.core.forms import DecoratedForm
from apart.core.forms import validators as v
from apart.core.forms.fields import TextField
from apart.establishments import bank

INVALID_NAF = _("Le code NAF comporte 4 chiffres et une lettre (ex. : 10.71C).")
INVALID_IDCC = _("L'IDCC comporte 4 chiffres (ex. : 1486). Il figure sur les bulletins de paie.")
INVALID_WORKFORCE = _("Veuillez saisir un nombre entier de salariés.")
MAIL_ADDRESS_NEEDED = _("Veuillez saisir l'adresse postale de correspondance, ou cocher la case.")

_NAF_TYPED = re.compile(r"^([0-9]{2})\.?([0-9]{2})\s*([A-Za-z])$")


def _text(label: str, max_length: int, check: Any = v.validate_free_text, **kw: Any) -> TextField:
    return TextField(label=label, max_length=max_length, required=False, check=check, **kw)


class FicheForm(DecoratedForm):
    """The fiche's contact, mail address and activity. Every field may stay empty (a fiche is
    filled bit by bit; completeness is shown apart), but what is typed must be valid."""

    contact_last_name = _text("Nom", 100, v.validate_person_name)
    contact_first_name = _text("Prénom", 100, v.validate_person_name)
    contact_role = _text("Fonction", 100)
    contact_email = _text(
        "Courriel", 254, None, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_phone = _text("Téléphone", 25, None, widget=forms.TextInput(attrs={"type": "tel"}))
    mail_same_address = forms.BooleanField(
        label=_("Le courrier est adressé à l'adresse de l'établissement"), required=False
    )
    mail_recipient = _text("Destinataire (service, personne)", 200)
    mail_street = _text("Adresse (numéro et voie)", 200)
    mail_complement = _text("Complément d'adresse", 200)
    mail_postal_code = _text("Code postal", 5, v.validate_postal_code)
    mail_city = _text("Ville", 100, v.validate_city)
    workforce = forms.IntegerField(
        label=_("Effectif (nombre de salariés)"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "invalid": INVALID_WORKFORCE,
            "min_value": INVALID_WORKFORCE,
            "max_value": INVALID_WORKFORCE,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    naf_code = _text("Code NAF", 10, None)
    idcc = _text(
        "Convention collective (IDCC)",
        4,
        None,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, postal_code: str = "", **kwargs: Any) -> None:
        self.postal_code = postal_code  # the establishment's, to read phone numbers
        super().__init__(*args, **kwargs)

    @property
    def contact_fields(self) -> list[forms.BoundField]:
        names = ("contact_last_name", "contact_first_name", "contact_role")
        return [self[n] for n in (*names, "contact_email", "contact_phone")]

    @property
    def mail_fields(self) -> list[forms.BoundField]:
        names = ("mail_recipient", "mail_street", "mail_complement", "mail_postal_code")
        return [self[n] for n in (*names, "mail_city")]

    @property
    def activity_fields(self) -> list[forms.BoundField]:
        return [self["workforce"], self["naf_code"], self["idcc"]]

    def clean_contact_email(self) -> str:
        raw = self.cleaned_data["contact_email"]
        return v.clean_email_address(raw)[0] if raw else ""

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data["contact_phone"]
        return v.clean_any_phone(raw, postal_code=self.postal_code) if raw else ""

    def clean_naf_code(self) -> str:
        raw = self.cleaned_data["naf_code"]
        if not raw:
            return ""
        match = _NAF_TYPED.match(raw.strip())
        if match is None:
            raise ValidationError(INVALID_NAF, code="naf")
        return f"{match[1]}.{match[2]}{match[3].upper()}"

    def clean_idcc(self) -> str:
        raw = self.cleaned_data["idcc"]
        if not raw:
            return ""
        if not (raw.isascii() and raw.isdigit()):
            raise ValidationError(INVALID_IDCC, code="idcc")
        return raw.zfill(4)  # "16" is IDCC 0016

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("workforce") is None:
            cleaned["workforce"] = None
        return cleaned


class BankDetailsForm(DecoratedForm):
    """Coordonnées bancaires: typed in full each time (the saved IBAN is only shown masked)."""

    iban = TextField(
        label=_("IBAN"),
        max_length=50,
        error_messages={"required": _("Veuillez saisir l'IBAN.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = TextField(
        label=_("BIC"),
        max_length=15,
        error_messages={"required": _("Veuillez saisir le BIC.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    account_holder = TextField(
        label=_("Titulaire du compte"),
        max_length=100,
        check=v.validate_free_text,
        error_messages={"required": _("Veuillez saisir le nom du titulaire du compte.")},
    )

    def clean_iban(self) -> str:
        return bank.clean_iban(self.cleaned_data["iban"])

    def clean_bic(self) -> str:
        return bank.clean_bic(self.cleaned_data["bic"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        iban, bic = cleaned.get("iban"), cleaned.get("bic")
        if iban and bic and not bank.bic_matches_iban(iban=iban, bic=bic):
            self.add_error("bic", ValidationError(bank.BIC_COUNTRY_MISMATCH, code="bic_country"))
        return cleaned
