"""Forms of the DI pages: shape of the input only; the rules are in apart.claims.services."""

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.core.forms import validators as v
from apart.core.forms.decision import DecisionForm
from apart.core.forms.fields import MultilineField, TextField
from apart.dap.forms import hours_field

INVALID_MONTH = _("Saisissez un mois valide (MM/AAAA).")
INVALID_PAY = _("Saisissez un taux horaire brut positif, en euros (au plus deux décimales).")
_MONTH = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))$")


class MonthField(forms.CharField):
    """A month typed "MM/AAAA" or sent by a month input ("AAAA-MM"): its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"})
        )
        super().__init__(max_length=10, **kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        match = _MONTH.match(text.strip())
        if not match:
            raise ValidationError(INVALID_MONTH, code="invalid")
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        try:
            first = datetime.date(int(year), int(month), 1)
        except ValueError:
            raise ValidationError(INVALID_MONTH, code="invalid") from None
        if not 2000 <= first.year <= 2100:
            raise ValidationError(INVALID_MONTH, code="invalid")
        return first


class ClaimCreateForm(CleanTextMixin, forms.Form):
    decision = forms.TypedChoiceField(label=_("Décision d'autorisation"), coerce=int)
    month = MonthField(label=_("Mois concerné"))

    def __init__(self, *args: Any, decisions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [
            (
                d.pk,
                _("{reference} — {denomination} — du {start} au {end}").format(
                    reference=d.reference,
                    denomination=d.request.establishment.denomination,
                    start=f"{d.start_date:%d/%m/%Y}",
                    end=f"{d.end_date:%d/%m/%Y}",
                ),
            )
            for d in decisions
        ]
        self.fields["month"].help_text = _("Format : MM/AAAA.")


class LineForm(CleanTextMixin, forms.Form):
    last_name = TextField(label=_("Nom"), max_length=100, check=v.validate_person_name)
    first_name = TextField(label=_("Prénom"), max_length=100, check=v.validate_person_name)
    nir = TextField(label=_("NIR (numéro de sécurité sociale)"), max_length=25)
    hours = hours_field("Heures chômées dans le mois", max_value=744)
    hourly_gross = forms.DecimalField(
        label=_("Taux horaire brut (€)"),
        min_value=Decimal("0.01"),
        max_value=10_000,
        decimal_places=2,
        localize=True,
        error_messages={
            key: INVALID_PAY
            for key in (
                "invalid",
                "min_value",
                "max_value",
                "max_decimal_places",
                "max_digits",
                "max_whole_digits",
            )
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nir"].help_text = _("15 caractères, clé comprise.")
        self.fields["hours"].help_text = _("Par exemple : 35 ou 17,5.")


class ValidateForm(DecisionForm):
    """An agent validates a claim: only the confirmation (the bank-details version shown is read
    by the view, the service refuses a missing one)."""

    decision = "valider"


class RejectForm(DecisionForm):
    decision = "rejeter"

    reason = MultilineField(
        label=_("Motif du rejet"),
        max_length=4000,
        error_messages={"required": _("Indiquez le motif du rejet.")},
    )


class ConfirmBankForm(DecisionForm):
    """An agent confirms the payment of a held claim to the new bank details."""

    decision = "confirmer"

    bank_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = MultilineField(
        label=_("Vérifications faites"),
        help_text=_("Par exemple : appel du contact principal au numéro de la fiche, RIB reçu."),
        max_length=2000,
        error_messages={
            "required": _("Indiquez ce que vous avez vérifié avant de confirmer le paiement.")
        },
    )
