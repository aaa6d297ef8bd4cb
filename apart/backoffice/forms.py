"""Agents' forms: they clean input only; decisions happen in the services."""

import datetime
import re
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.core.forms.decision import DecisionForm
from apart.core.i18n import Text
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Application

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DEPARTMENT = re.compile(r"^(\d{2}|2A|2B|97\d|98\d)$", re.IGNORECASE)
TEXT_MAX = 2000
DEPARTMENT_MESSAGE = _("Saisissez un numéro de département (ex. : 75, 2A, 974).")


def _date_field(label: Text, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=_DATE,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": _("Ce champ est obligatoire."),
            "invalid": _("Saisissez une date valide (JJ/MM/AAAA)."),
        },
    )


def _text_field(label: Text, *, required: bool, notice: Text = "") -> forms.CharField:
    field = forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Ce champ est obligatoire."),
            "max_length": format_lazy(_("{maximum} caractères au plus."), maximum=TEXT_MAX),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )
    field.notice = notice  # type: ignore[attr-defined]
    return field


class QueueFilterForm(CleanTextMixin, forms.Form):
    application_code = forms.ChoiceField(
        label=_("Application"),
        required=False,
        error_messages={"invalid_choice": _("Choisissez une application de la liste.")},
    )
    department = forms.CharField(
        label=_("Département"),
        required=False,
        max_length=3,
        error_messages={"max_length": DEPARTMENT_MESSAGE},
    )
    requested_from = _date_field(_("Demandes reçues du"), required=False)
    requested_to = _date_field(_("au"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application_code"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [("", "Toutes"), *((a.code, a.name) for a in Application.objects.all())]

    def clean_department(self) -> str:
        value: str = self.cleaned_data["department"].strip().upper()
        if value and not _DEPARTMENT.match(value):
            raise forms.ValidationError(DEPARTMENT_MESSAGE)
        return value


class ApproveForm(DecisionForm):
    decision = "approuver"
    start_date = _date_field(_("Date de début (à compter du)"))
    end_date = _date_field(_("Date de fin (jour où l'habilitation expire)"))
    comment = _text_field(_("Commentaire interne"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "La date de fin doit être postérieure à la date de début.")
        return cleaned


def approve_initial(validity: datetime.timedelta) -> dict[str, datetime.date]:
    start = paris_today()
    return {"start_date": start, "end_date": start + validity}


class RejectForm(DecisionForm):
    decision = "refuser"
    reason = _text_field(
        "Motif du refus", required=True, notice=_("Communiqué au demandeur par courriel.")
    )
    internal_comment = _text_field(
        "Commentaire interne", required=False, notice=_("Visible des seuls agents.")
    )


class ApproveAttachmentForm(DecisionForm):
    decision = "approuver"
    comment = _text_field(_("Commentaire interne"), required=False)


class ExtendForm(DecisionForm):
    decision = "prolonger"
    end_date = _date_field(_("Nouvelle date de fin"))
    reason = _text_field(_("Motif"), required=False)


class RevokeForm(DecisionForm):
    decision = "revoquer"
    reason = _text_field(
        "Motif de la révocation", required=True, notice=_("Communiqué au titulaire par courriel.")
    )


class IdsField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        ids = []
        for item in value or []:
            if not str(item).isdigit() or len(str(item)) > 18:
                raise forms.ValidationError(_("Sélection invalide."))
            ids.append(int(item))
        return ids[:500]


class BulkApproveForm(DecisionForm):
    decision = "selection"
    habilitation = IdsField(
        label=_("Demandes sélectionnées"),
        error_messages={"required": _("Sélectionnez au moins une demande.")},
    )

    def selected(self) -> set[int]:
        """The requests ticked: they stay ticked when the page comes back with an error."""
        return set(getattr(self, "cleaned_data", {}).get("habilitation") or [])


class AccountSearchForm(CleanTextMixin, forms.Form):
    q = forms.CharField(
        label=_("Identifiant, courriel, nom ou N° de Siret"),
        max_length=254,
        error_messages={
            "required": _("Saisissez un identifiant, un courriel, un nom ou un N° de Siret."),
            "max_length": _("254 caractères au plus."),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )


class HelpdeskActionForm(CleanTextMixin, forms.Form):
    checks = _text_field(
        "Vérifications effectuées",
        required=True,
        notice=(
            _(
                "Décrivez les vérifications d'identité faites avant l'action (ex. : rappel au "
                "numéro de l'établissement) ; elles sont conservées dans le journal."
            )
        ),
    )


# What the assistance may ask a caller before resetting the second factor (ASVS 6.4.4: the same
# level of proof as the enrolment, which needed the password and the mailbox).
IDENTITY_QUESTIONS = [
    ("login", _("Identifiant du compte")),
    ("names", _("Nom et prénom")),
    ("email", _("Adresse de courriel du compte")),
    ("phone", _("Rappel au numéro de téléphone du compte")),
    ("siret", _("N° de Siret d'un établissement du compte")),
    ("secret_question", _("Réponse à la question secrète (vérifiée ci-dessous par le système)")),
]
MIN_IDENTITY_QUESTIONS = 3


class SecondFactorResetForm(CleanTextMixin, forms.Form):
    questions = forms.MultipleChoiceField(
        label=_("Questions posées à l'appelant"),
        choices=IDENTITY_QUESTIONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": format_lazy(
                _("Cochez les questions posées ({minimum} au moins)."),
                minimum=MIN_IDENTITY_QUESTIONS,
            ),
            "invalid_choice": _("Choix invalide."),
        },
    )
    matched = forms.MultipleChoiceField(
        label=_("Réponses concordantes"),
        choices=IDENTITY_QUESTIONS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Choix invalide.")},
    )
    secret_answer = forms.CharField(
        label=_("Réponse donnée à la question secrète"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": _("200 caractères au plus."),
            "null_characters_not_allowed": _("Caractère non autorisé."),
        },
    )
    secret_answer.notice = _(  # type: ignore[attr-defined]
        "Saisissez la réponse de l'appelant : le système la compare à la réponse enregistrée "
        "sans vous la montrer."
    )
    checks = _text_field(
        "Vérifications effectuées",
        required=True,
        notice=_("Décrivez l'appel et les vérifications ; conservé dans le journal."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        questions = cleaned.get("questions") or []
        if questions and len(questions) < MIN_IDENTITY_QUESTIONS:
            self.add_error(
                "questions",
                _("Posez au moins {minimum} questions d'identité.").format(
                    minimum=MIN_IDENTITY_QUESTIONS
                ),
            )
        if "secret_question" in questions and not cleaned.get("secret_answer", "").strip():
            self.add_error("secret_answer", "Saisissez la réponse donnée par l'appelant.")
        return cleaned
