"""Forms of "Créer mon espace": they clean and check input only (no lookup, no write)."""

import json
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apart.core.captcha import CaptchaFormMixin
from apart.core.forms import validators as v
from apart.core.forms.fields import email_field, text_field
from apart.core.text import validate_has_letter_or_digit
from apart.establishments.forms.details import EstablishmentDetailsForm, SiretForm
from apart.registration.people import PersonDetails

TERMS_REQUIRED = _("Vous devez accepter les conditions générales d'utilisation.")
EMAILS_DIFFER = _(
    "Les champs Courriel et Confirmer courriel de l'utilisateur ne sont pas identiques."
)


class SiretStepForm(CaptchaFormMixin, SiretForm):
    """Step 1: "Veuillez indiquer votre numéro de Siret": the SIRET (as « DEMANDE CRÉATION DE
    COMPTE » asks it), the terms of use, the captcha."""

    accept_terms = forms.BooleanField(
        label=_("J'accepte les conditions générales d'utilisation"),
        error_messages={"required": TERMS_REQUIRED},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate()  # the captcha's fields, added last
        # The label links to the conditions it asks to accept (and carries its own « * »).
        label = gettext(
            'J\'accepte les&nbsp;<a href="%(terms_url)s">conditions générales '
            "d'utilisation</a>&nbsp;*"
        )
        self.fields["accept_terms"].label = format_html(
            label.replace("%(terms_url)s", "{}"), reverse("core:terms")
        )
        self.fields["accept_terms"].label_suffix = ""


ACCOUNT_FIELDS = (
    "last_name",
    "first_name",
    "phone",
    "email",
    "email_confirm",
    "secret_question",
    "secret_answer",
)


class SpaceStepForm(CaptchaFormMixin, EstablishmentDetailsForm):
    """Step 2: "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE": the establishment's
    block (SIRENE's values locked, see EstablishmentDetailsForm), the person's block, the captcha.
    """

    phone_checks = (*EstablishmentDetailsForm.phone_checks, ("phone", v.clean_any_phone))

    # Compte utilisateur à créer
    last_name = text_field(
        _("Nom"),
        100,
        check=v.validate_person_name,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = text_field(
        _("Prénom"),
        100,
        check=v.validate_person_name,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = text_field(_("Téléphone"), 25, widget=forms.TextInput(attrs={"type": "tel"}))
    email = email_field(_("Courriel"))
    email_confirm = email_field(_("Confirmer courriel"))
    secret_question = text_field(
        _("Question secrète"),
        200,
        check=v.validate_free_text,
        validators=[validate_has_letter_or_digit],
    )
    secret_answer = text_field(
        _("Réponse"),
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
        self.name_flagged = False
        self.civil_status_confirmed = False
        super().__init__(data, sirene=sirene, known_cities=known_cities, **kwargs)
        self._decorate()  # the captcha's fields, added last
        if captcha_passed:
            # Solved on the previous submission (apart/core/captcha_proof.py): not checked again.
            # The field stays, so a page shown again with errors asks a fresh captcha.
            self.fields["captcha"].clean = lambda value: value  # type: ignore[method-assign]

    def clean_email(self) -> str:
        return self._clean_address("email")

    def clean_email_confirm(self) -> str:
        return self._clean_address("email_confirm")

    def _check_all(self) -> None:
        self._check_same("email", "email_confirm", EMAILS_DIFFER)
        super()._check_all()
        self._check_civil_status()

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
    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ACCOUNT_FIELDS]

    def person(self) -> PersonDetails:
        """The "Compte utilisateur à créer" block, cleaned."""
        data = self.cleaned_data
        return PersonDetails(
            last_name=data["last_name"],
            first_name=data["first_name"],
            phone=data["phone"],
            email=data["email"],
            secret_question=data["secret_question"],
            secret_answer=data["secret_answer"],
        )

    def ready(self) -> bool:
        """Valid, and nothing the person must see first (an email the form corrected, a name
        like a title not yet shown with its warning)."""
        return super().ready() and (not self.name_flagged or self.civil_status_confirmed)

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
