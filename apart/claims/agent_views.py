"""Agents' DI pages (instructeur role): check and validate claims, the list for payment and
its CSV export."""

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from apart.backoffice.access import instructor_required
from apart.claims import selectors, services
from apart.claims.export import payment_rows
from apart.claims.forms import RejectForm
from apart.claims.models import Claim


@require_safe
@instructor_required
def queue(request: HttpRequest) -> HttpResponse:
    waiting = selectors.claims_to_check()
    return render(
        request,
        "claims/agent_queue.html",
        {"nav": "claims", "claims": waiting[:200], "count": waiting.count()},
    )


def _claim(pk: int) -> Claim:
    claims = Claim.objects.exclude(status=Claim.Status.DRAFT).select_related(
        "decision__request__establishment", "created_by", "decided_by"
    )
    return get_object_or_404(claims, pk=pk)


def _show(
    request: HttpRequest, claim: Claim, *, reject_form: RejectForm | None = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "claims",
        "claim": claim,
        "decision": claim.decision,
        "lines": list(claim.lines.all()),
        "reject_form": reject_form or RejectForm(),
        "summary": "Le rejet n'a pas été enregistré : corrigez les erreurs signalées.",
    }
    return render(request, "claims/agent_detail.html", context, status=status)


@require_safe
@instructor_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, _claim(pk))


@require_POST
@instructor_required
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    try:
        services.validate_claim(claim=claim, actor=request.user, request=request)
    except services.ClaimError as error:
        messages.error(request, error.message)
        return redirect("claims_gestion:detail", pk=claim.pk)
    messages.success(request, f"Demande {claim.reference} validée : elle est à payer.")
    return redirect("claims_gestion:queue")


@require_POST
@instructor_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _show(request, claim, reject_form=form, status=400)
    try:
        services.reject_claim(
            claim=claim, actor=request.user, reason=form.cleaned_data["reason"], request=request
        )
    except services.AlreadyDecided as error:
        messages.error(request, error.message)
        return redirect("claims_gestion:detail", pk=claim.pk)
    except services.ClaimError as error:
        form.add_error("reason", error.message)
        return _show(request, claim, reject_form=form, status=400)
    messages.success(request, f"Demande {claim.reference} rejetée ; l'employeur en est informé.")
    return redirect("claims_gestion:queue")


@require_safe
@instructor_required
def payments(request: HttpRequest) -> HttpResponse:
    to_pay = selectors.claims_to_pay()
    return render(
        request,
        "claims/agent_payments.html",
        {"nav": "claims", "claims": to_pay[:500], "count": to_pay.count()},
    )


@require_safe
@instructor_required
def payments_csv(request: HttpRequest) -> HttpResponse:
    claims = list(selectors.claims_to_pay())
    services.record_payment_export(actor=request.user, count=len(claims), request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="di-a-payer-{stamp}.csv"'
    response.write("\ufeff")  # spreadsheets then read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(payment_rows(claims))
    return response
