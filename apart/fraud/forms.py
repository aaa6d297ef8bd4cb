"""Forms of the agents' fraud tools: the risk filter and sort of the queues, the review."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin
from apart.fraud.models import RiskLevel

# "From this level up", as agents filter: a medium filter shows medium and high items.
RISK_FILTERS = {
    "": (),
    "signale": (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH),
    "moyen": (RiskLevel.MEDIUM, RiskLevel.HIGH),
    "eleve": (RiskLevel.HIGH,),
}
SORTS = (("anciennete", _("De la plus ancienne")), ("risque", _("Du risque le plus élevé")))


class RiskFilterForm(CleanTextMixin, forms.Form):
    risk = forms.ChoiceField(
        label=_("Niveau de risque"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("signale", _("Avec au moins un signal")),
            ("moyen", _("Moyen ou élevé")),
            ("eleve", _("Élevé")),
        ],
        error_messages={"invalid_choice": _("Choisissez un niveau de risque de la liste.")},
    )
    sort = forms.ChoiceField(
        label=_("Trier"),
        required=False,
        choices=SORTS,
        error_messages={"invalid_choice": _("Choisissez un tri de la liste.")},
    )

    def risk_options(self) -> dict[str, Any]:
        """The selector arguments (empty when the form is invalid: everything, oldest first)."""
        if not self.is_valid():
            return {}
        return {
            "risk_levels": RISK_FILTERS[self.cleaned_data.get("risk") or ""],
            "by_risk": self.cleaned_data.get("sort") == "risque",
        }


class ReviewForm(CleanTextMixin, forms.Form):
    mark_required = False  # as before: the panel marks no field (apart/core/rendering.py)

    decision = forms.ChoiceField(
        label=_("Votre examen"),
        choices=[("ecarter", _("Écarter les signaux")), ("confirmer", _("Confirmer les signaux"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez d'écarter ou de confirmer les signaux.")},
    )
    reason = forms.CharField(
        label=_("Motif"),
        help_text=_("Ce que vous avez vérifié (il est conservé dans le journal)."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de votre examen des signaux.")},
    )
