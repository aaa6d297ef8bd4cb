"""Agents' fraud pages under /gestion/fraude/: the review of an item's signals and the figures."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import instructor_required
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.audit.context import AuditContext
from apart.core.errors import UserError
from apart.fraud import selectors, services
from apart.fraud.charts import signals_chart
from apart.fraud.forms import ReviewForm
from apart.fraud.models import Assessment


def _item_url(assessment: Assessment) -> str:
    if assessment.habilitation_id:
        return reverse("backoffice:request", args=[assessment.habilitation_id])
    if assessment.dap_id:
        return reverse("dap_gestion:detail", args=[assessment.dap_id])
    return reverse("claims_gestion:detail", args=[assessment.claim_id])


@require_POST
@instructor_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """« Écarter » or « Confirmer » the signals of an item, with the reason (audited)."""
    assessment = get_object_or_404(Assessment, pk=pk)
    back = _item_url(assessment)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back + "#risque")
    try:
        services.review_signals(
            assessment=assessment,
            actor=current_account(request),
            confirm=form.cleaned_data["decision"] == "confirmer",
            reason=form.cleaned_data["reason"],
            audit=AuditContext.from_request(request),
        )
    except UserError as refused:  # shown like the form's own errors, on the item's page
        messages.error(request, refused.message)
    else:
        if form.cleaned_data["decision"] == "confirmer":
            messages.success(
                request, gettext("Signaux confirmés : la demande ne peut plus être approuvée.")
            )
        elif assessment.level == "eleve":
            messages.success(
                request,
                gettext(
                    "Signaux écartés. Risque élevé : la demande doit être approuvée par un autre "
                    "agent."
                ),
            )
        else:
            messages.success(request, gettext("Signaux écartés : la demande peut être approuvée."))
    return redirect(back + "#risque")


@require_safe
@instructor_required
def figures(request: AuthenticatedRequest) -> HttpResponse:
    weeks = selectors.weekly_figures()
    return render(
        request,
        "fraud/figures.html",
        {
            "nav": "fraud",
            "weeks": weeks,
            "chart": signals_chart(weeks),
            "open_counts": selectors.open_counts(),
        },
    )
