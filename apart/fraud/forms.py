"""Forms of the agents' fraud tools: the risk filter and sort of the queues, the review."""

from typing import Any

from django import forms

from apart.core.forms import CleanTextMixin
from apart.fraud.models import RiskLevel

# "From this level up", as agents filter: a medium filter shows medium and high items.
RISK_FILTERS = {
    "": (),
    "signale": (RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH),
    "moyen": (RiskLevel.MEDIUM, RiskLevel.HIGH),
    "eleve": (RiskLevel.HIGH,),
}
SORTS = (("anciennete", "De la plus ancienne"), ("risque", "Du risque le plus élevé"))


class RiskFilterForm(CleanTextMixin, forms.Form):
    risk = forms.ChoiceField(
        label="Niveau de risque",
        required=False,
        choices=[
            ("", "Tous"),
            ("signale", "Avec au moins un signal"),
            ("moyen", "Moyen ou élevé"),
            ("eleve", "Élevé"),
        ],
        error_messages={"invalid_choice": "Choisissez un niveau de risque de la liste."},
    )
    sort = forms.ChoiceField(
        label="Trier",
        required=False,
        choices=SORTS,
        error_messages={"invalid_choice": "Choisissez un tri de la liste."},
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
    decision = forms.ChoiceField(
        label="Votre examen",
        choices=[("ecarter", "Écarter les signaux"), ("confirmer", "Confirmer les signaux")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez d'écarter ou de confirmer les signaux."},
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Ce que vous avez vérifié (il est conservé dans le journal).",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif de votre examen des signaux."},
    )
