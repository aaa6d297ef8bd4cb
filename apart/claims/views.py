"""The employer's DI pages (under /espace/demandes-indemnisation/)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.decorators import employer_required
from apart.accounts.requests import current_account
from apart.audit.context import AuditContext
from apart.claims import rules, selectors, services
from apart.claims.allowance import current_rules
from apart.claims.forms import ClaimCreateForm, LineForm
from apart.claims.models import Claim
from apart.core.errors import add_to_form
from apart.core.recipes import unless_transmitted
from apart.dap.selectors import accepted_decisions_of

FORM_SUMMARY = "La saisie n'a pas été enregistrée : corrigez les erreurs signalées sous les champs."


@employer_required
@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    """« Voir toutes mes DI »."""
    return render(
        request, "claims/list.html", {"claims": selectors.claims_of(current_account(request))[:500]}
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    account = current_account(request)
    decisions = list(accepted_decisions_of(account))
    form = ClaimCreateForm(
        request.POST if request.method == "POST" else None,
        decisions=decisions,
        initial={"decision": request.GET.get("decision")},
    )
    if request.method == "POST" and form.is_valid():
        decision = next(d for d in decisions if d.pk == form.cleaned_data["decision"])
        try:
            claim = services.create_claim(
                decision=decision,
                month=form.cleaned_data["month"],
                actor=account,
                audit=AuditContext.from_request(request),
            )
        except services.ClaimError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "Demande d'indemnisation {reference} créée. Ajoutez les salariés concernés."
                ).format(reference=claim.reference),
            )
            return redirect("claims:detail", pk=claim.pk)
    return render(
        request,
        "claims/create.html",
        {
            "form": form,
            "decisions": decisions,
            "summary": FORM_SUMMARY,
            "deadline_months": settings.APART_CLAIM_DEADLINE_MONTHS,
        },
        status=400 if form.is_bound else 200,
    )


def _detail(
    request: HttpRequest, claim: Claim, *, line_form: LineForm | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "claim": claim,
        "decision": claim.decision,
        "lines": list(claim.lines.all()),
        "editable": claim.status == Claim.Status.DRAFT,
        "line_form": line_form or LineForm(),
        "summary": FORM_SUMMARY,
        "rules": current_rules(),
        "deadline": rules.claim_deadline(claim.decision),
    }
    return render(request, "claims/detail.html", context, status=status)


@employer_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.claim_for(current_account(request), pk))


@employer_required
@require_POST
def add_line(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    claim = selectors.claim_for(account, pk)
    transmitted = unless_transmitted(
        request,
        draft=claim.status == Claim.Status.DRAFT,
        message=services.NOT_DRAFT,
        page=reverse("claims:detail", args=[claim.pk]),
    )
    if transmitted is not None:
        return transmitted
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            services.add_line(
                claim=claim,
                actor=account,
                audit=AuditContext.from_request(request),
                **form.cleaned_data,
            )
        except services.ClaimError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                gettext("{first_name} {last_name} ajouté(e) à la demande.").format(
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                ),
            )
            return redirect("claims:detail", pk=claim.pk)
    return _detail(request, claim, line_form=form, status=400)


@employer_required
@require_POST
def remove_line(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    line = selectors.line_for(account, pk)
    try:
        services.remove_line(line=line, actor=account, audit=AuditContext.from_request(request))
    except services.ClaimError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("{first_name} {last_name} retiré(e) de la demande.").format(
                first_name=line.first_name, last_name=line.last_name
            ),
        )
    return redirect("claims:detail", pk=line.claim_id)


@employer_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    claim = selectors.claim_for(account, pk)
    try:
        services.submit_claim(claim=claim, actor=account, audit=AuditContext.from_request(request))
    except services.ClaimError as error:
        messages.error(
            request,
            gettext("La demande n'a pas été transmise : {reason}").format(reason=error.message),
        )
        return _detail(request, claim, status=400)
    messages.success(
        request,
        gettext("Votre demande d'indemnisation {reference} a été transmise.").format(
            reference=claim.reference
        ),
    )
    return redirect("claims:detail", pk=claim.pk)
