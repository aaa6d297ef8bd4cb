"""The confirmation every agent's decision carries (RGAA 11.12: a submission with legal or
financial consequences is confirmed)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from apart.core.forms import CleanTextMixin

CONFIRMATION_LABEL = _("Je confirme cette décision")
CONFIRMATION_MISSING = _(
    "Cochez « Je confirme cette décision » pour enregistrer la décision : rien n'a été enregistré."
)


class DecisionForm(CleanTextMixin, forms.Form):
    """A decision is recorded only when its form comes with « Je confirme cette décision »
    ticked: the server refuses it otherwise, beside the box, and shows the form again with what
    the agent typed. A form posted without the box (a forged request, a script) changes nothing.

    ``decision`` names the decision in the box's id: several decisions share one page (approve
    and refuse), and each box must be the one its label points at."""

    decision: ClassVar[str] = ""

    confirmed = forms.BooleanField(
        label=CONFIRMATION_LABEL, error_messages={"required": CONFIRMATION_MISSING}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own_id = self["confirmed"].auto_id
        if self.decision and own_id:
            self.fields["confirmed"].widget.attrs["id"] = f"{own_id}-{self.decision}"

    def clean(self) -> dict[str, Any]:
        # The box gates the decision; it is no value of it (the services never see it).
        cleaned = super().clean() or {}
        cleaned.pop("confirmed", None)
        return cleaned
