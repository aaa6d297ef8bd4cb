"""Agents' DI pages (instructeur role): check and validate claims, the list for payment and
its CSV export."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import instructor_required
from apart.accounts.requests import AuthenticatedRequest
from apart.audit.context import AuditContext
from apart.claims import selectors, services
from apart.claims.export import payment_rows
from apart.claims.forms import ConfirmBankForm, RejectForm, ValidateForm
from apart.claims.models import Claim
from apart.core.csv import csv_response
from apart.core.errors import UserError
from apart.core.recipes import agent_decision
from apart.fraud.forms import ReviewForm, RiskFilterForm
from apart.fraud.selectors import risk_of, with_risk


@require_safe
@instructor_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    risk_filters = RiskFilterForm(request.GET or None)
    waiting = with_risk(selectors.claims_to_check(), **risk_filters.risk_options())
    return render(
        request,
        "claims/agent_queue.html",
        {
            "nav": "claims",
            "claims": waiting[:200],
            "count": waiting.count(),
            "risk_filters": risk_filters,
        },
    )


def _claim(pk: int) -> Claim:
    claims = Claim.objects.exclude(status=Claim.Status.DRAFT).select_related(
        "decision__request__establishment",
        "created_by",
        "decided_by",
        "submitted_bank",
        "validated_bank",
    )
    return get_object_or_404(claims, pk=pk)


def _show(
    request: HttpRequest,
    claim: Claim,
    *,
    validate_form: ValidateForm | None = None,
    reject_form: RejectForm | None = None,
    confirm_form: ConfirmBankForm | None = None,
    status: int = 200,
) -> HttpResponse:
    bank = selectors.bank_review(claim)
    context: dict[str, Any] = {
        "nav": "claims",
        "claim": claim,
        "decision": claim.decision,
        "lines": list(claim.lines.all()),
        "bank": bank,
        "bank_rows": [
            ("À la transmission", bank.submitted),
            ("Validée", bank.validated),
            ("Actuelle", bank.current),
        ],
        "bank_change_days": settings.APART_FRAUD_BANK_CHANGE_DAYS,
        "risk": risk_of(claim),
        "review_form": ReviewForm(),
        "validate_form": validate_form or ValidateForm(),
        "reject_form": reject_form or RejectForm(),
        "confirm_form": confirm_form
        or ConfirmBankForm(initial={"bank_version": bank.current.pk if bank.current else None}),
        "summary": "Le rejet n'a pas été enregistré : corrigez les erreurs signalées.",
    }
    return render(request, "claims/agent_detail.html", context, status=status)


@require_safe
@instructor_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _show(request, _claim(pk))


def _page(claim: Claim) -> str:
    return reverse("claims_gestion:detail", args=[claim.pk])


@require_POST
@instructor_required
def validate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    try:
        seen = int(request.POST.get("bank_version", ""))
    except ValueError:
        seen = 0  # no version shown: the service refuses
    form = ValidateForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.validate_claim(
            claim=claim,
            actor=request.user,
            bank_version_seen=seen,
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, claim, validate_form=form, status=400),
        back=_page(claim),
        # The form is the confirmation only: the service's refusals are about the claim, shown
        # on its page as it is now.
        back_on={UserError: ""},
        then=reverse("claims_gestion:queue"),
        done=f"Demande {claim.reference} validée : elle est à payer.",
    )


@require_POST
@instructor_required
def reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    form = RejectForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.reject_claim(
            claim=claim,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, claim, reject_form=form, status=400),
        back=_page(claim),
        then=reverse("claims_gestion:queue"),
        done=f"Demande {claim.reference} rejetée ; l'employeur en est informé.",
    )


@require_POST
@instructor_required
def confirm_bank(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A held payment goes to the new bank details once an agent confirms them (audited)."""
    claim = _claim(pk)
    form = ConfirmBankForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.confirm_bank_details(
            claim=claim,
            actor=request.user,
            bank_version_seen=form.cleaned_data["bank_version"],
            reason=form.cleaned_data["reason"],
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, claim, confirm_form=form, status=400),
        back=_page(claim),
        # The page again, as it is now: the form shown held the version the agent saw.
        back_on={services.ChangedMeanwhile: ""},
        then=reverse("claims_gestion:payments"),
        done=(
            "Nouvelles coordonnées bancaires confirmées : la demande "
            f"{claim.reference} est à payer."
        ),
    )


@require_safe
@instructor_required
def payments(request: AuthenticatedRequest) -> HttpResponse:
    to_pay = with_risk(selectors.claims_to_pay())
    held = selectors.claims_on_hold()
    return render(
        request,
        "claims/agent_payments.html",
        {
            "nav": "claims",
            "claims": to_pay[:500],
            "count": to_pay.count(),
            "held": held[:500],
            "held_count": held.count(),
        },
    )


@require_safe
@instructor_required
def payments_csv(request: AuthenticatedRequest) -> HttpResponse:
    claims = list(with_risk(selectors.claims_to_pay()))
    services.record_payment_export(
        actor=request.user, count=len(claims), audit=AuditContext.from_request(request)
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return csv_response(payment_rows(claims), filename=f"di-a-payer-{stamp}.csv")
