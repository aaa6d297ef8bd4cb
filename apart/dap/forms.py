"""Forms of the DAP pages: they clean and check the input's shape only; the rules of the DAP
(fiche complète, deadlines, CSE, commitments) live in apart.dap.rules, applied by the services."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.core.forms.decision import DecisionForm
from apart.core.forms.fields import MultilineField
from apart.dap.files import TOO_LARGE, max_megabytes
from apart.dap.models import CseOpinion, Kind, Reason

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
INVALID_DATE = _("Saisissez une date valide (JJ/MM/AAAA).")
OUT_OF_RANGE_DATE = _("Saisissez une date comprise entre 2000 et 2100.")
INVALID_HOURS = _("Saisissez un nombre d'heures positif (au plus deux décimales).")
INVALID_EMPLOYEES = _("Saisissez un nombre entier de salariés, au moins 1.")


def validate_year(value: datetime.date) -> None:
    if not 2000 <= value.year <= 2100:
        raise ValidationError(OUT_OF_RANGE_DATE, code="out_of_range")


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        validators=[validate_year],
        error_messages={"invalid": INVALID_DATE},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def hours_field(label: str, *, max_value: int = 9_999_999) -> forms.DecimalField:
    messages = {
        "invalid": INVALID_HOURS,
        "min_value": INVALID_HOURS,
        "max_value": INVALID_HOURS,
        "max_decimal_places": INVALID_HOURS,
        "max_digits": INVALID_HOURS,
        "max_whole_digits": INVALID_HOURS,
    }
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_value=max_value,
        decimal_places=2,
        localize=True,  # "12,5" as well as "12.5"
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class DapForm(CleanTextMixin, forms.Form):
    """« Demande d'autorisation préalable » (R5122-2)."""

    establishment = forms.TypedChoiceField(label=_("Établissement"), coerce=int)
    reason = forms.ChoiceField(
        label=_("Motif de recours (article R5122-1)"), choices=Reason.choices
    )
    reason_details = MultilineField(
        label=_("Précisions sur le motif"), max_length=2000, required=False
    )
    start_date = date_field("Date de début de la période prévisionnelle")
    end_date = date_field("Date de fin de la période prévisionnelle")
    employees = forms.IntegerField(
        label=_("Nombre de salariés concernés"),
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": INVALID_EMPLOYEES,
            "min_value": INVALID_EMPLOYEES,
            "max_value": INVALID_EMPLOYEES,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    hours_requested = hours_field("Nombre d'heures chômées prévisionnelles")
    kind = forms.ChoiceField(label=_("Nature de l'activité partielle"), choices=Kind.choices)
    cse_consulted_on = date_field("Date de consultation du CSE", required=False)
    cse_opinion = forms.ChoiceField(
        label=_("Avis du CSE"),
        choices=[("", _("— Sans objet (moins de 50 salariés) —")), *CseOpinion.choices],
        required=False,
    )
    previous_use = forms.BooleanField(
        label=_(
            "L'établissement a eu recours à l'activité partielle au cours des 36 derniers mois"
        ),
        required=False,
    )
    commitments = MultilineField(
        label=_("Engagements de l'employeur"), max_length=4000, required=False
    )

    def __init__(self, *args: Any, establishments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field = self.fields["establishment"]
        assert isinstance(choice_field, forms.ChoiceField)  # noqa: S101
        choice_field.choices = [(e.pk, f"{e.denomination} ({e.siret})") for e in establishments]
        hints = {
            "reason": _(
                "Pour les motifs 3° et 5°, la demande peut être déposée dans les 30 jours "
                "suivant la mise en activité partielle ; pour les autres, avant celle-ci."
            ),
            "cse_consulted_on": _(
                "Obligatoire pour un établissement de 50 salariés et plus, avec l'avis rendu."
            ),
            "commitments": _(
                "Obligatoires si l'établissement a eu recours à l'activité partielle "
                "au cours des 36 derniers mois (maintien dans l'emploi, formation...)."
            ),
        }
        for name, hint in hints.items():
            self.fields[name].help_text = hint

    def draft_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values.pop("establishment")
        return values


class AttachmentForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("Pièce jointe (PDF)"),
        error_messages={
            "required": _("Choisissez un fichier PDF."),
            "empty": _("Le fichier est vide."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The upload was stopped at the size limit (apart.core.uploads): no file reached us.
        self.too_large = too_large
        self.fields["file"].help_text = _("Format PDF uniquement, {maximum} Mo au maximum.").format(
            maximum=max_megabytes()
        )

    def full_clean(self) -> None:
        super().full_clean()
        if self.too_large and self.is_bound:
            self.errors["file"] = self.error_class([TOO_LARGE.format(size=max_megabytes())])
            self.cleaned_data.pop("file", None)

    def upload(self) -> UploadedFile:
        value = self.cleaned_data["file"]
        assert isinstance(value, UploadedFile)  # noqa: S101
        return value


# -- Agents ------------------------------------------------------------------------------------
class AcceptForm(DecisionForm):
    prefix = "autoriser"  # both decision forms are on one page: distinct field ids
    hours_authorised = hours_field("Heures autorisées")
    reason = MultilineField(label=_("Motivation"), max_length=4000, required=False)


class RefuseForm(DecisionForm):
    prefix = "refuser"
    reason = MultilineField(
        label=_("Motif du refus"),
        max_length=4000,
        error_messages={"required": _("Indiquez le motif du refus.")},
    )
