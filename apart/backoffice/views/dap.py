"""Instruction of the DAP by agents (instructeur role), under /gestion/autorisations/."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import instructor_required
from apart.accounts.requests import AuthenticatedRequest
from apart.audit.context import AuditContext
from apart.core.recipes import agent_decision
from apart.dap import selectors, services
from apart.dap.forms import AcceptForm, RefuseForm
from apart.dap.models import Attachment, AuthorisationRequest, Decision
from apart.dap.views import attachment_response, decision_page_response, pdf_response
from apart.establishments.completeness import fiche_of
from apart.fraud.forms import ReviewForm, RiskFilterForm
from apart.fraud.selectors import risk_of, with_risk


@require_safe
@instructor_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    risk_filters = RiskFilterForm(request.GET or None)
    waiting = with_risk(selectors.instruction_queue(), **risk_filters.risk_options())
    return render(
        request,
        "dap/agent_queue.html",
        {
            "nav": "dap",
            "risk_filters": risk_filters,
            "waiting": waiting[:200],
            "waiting_count": waiting.count(),
            "decisions": selectors.recent_decisions()[:50],
        },
    )


def _dap(pk: int) -> AuthorisationRequest:
    return get_object_or_404(
        AuthorisationRequest.objects.select_related(
            "establishment__fiche", "created_by", "instructed_by"
        ).exclude(status=AuthorisationRequest.Status.DRAFT),  # drafts are the employer's own
        pk=pk,
    )


def _show(
    request: HttpRequest, dap: AuthorisationRequest, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "nav": "dap",
        "dap": dap,
        "fiche": fiche_of(dap.establishment),
        "attachments": list(dap.attachments.all()),
        "decision": getattr(dap, "decision", None),
        "silence_ends_on": selectors.silence_ends_on(dap.submitted_at)
        if dap.submitted_at
        else None,
        "accept_form": forms.get("accept_form")
        or AcceptForm(initial={"hours_authorised": dap.hours_requested}),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "risk": risk_of(dap),
        "review_form": ReviewForm(),
        "summary": "La décision n'a pas été enregistrée : corrigez les erreurs signalées.",
    }
    return render(request, "dap/agent_detail.html", context, status=status)


@require_safe
@instructor_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _show(request, _dap(pk))


def _page(dap: AuthorisationRequest) -> str:
    return reverse("dap_gestion:detail", args=[dap.pk])


@require_POST
@instructor_required
def take(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dap = _dap(pk)
    return agent_decision(
        request,
        form=None,
        decide=lambda: services.start_instruction(
            dap=dap, actor=request.user, audit=AuditContext.from_request(request)
        ),
        show=lambda: _show(request, dap),
        back=_page(dap),
        then=_page(dap),
        done=f"Demande {dap.reference} prise en instruction.",
    )


@require_POST
@instructor_required
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dap = _dap(pk)
    form = AcceptForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.decide_dap(
            dap=dap,
            actor=request.user,
            accept=True,
            reason=form.cleaned_data["reason"],
            hours_authorised=form.cleaned_data["hours_authorised"],
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, dap, accept_form=form, status=400),
        back=_page(dap),
        back_on={services.FraudRefusal: "#risque"},
        then=reverse("dap_gestion:queue"),
        done=f"Demande {dap.reference} autorisée ; l'employeur en est informé.",
    )


@require_POST
@instructor_required
def refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dap = _dap(pk)
    form = RefuseForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.decide_dap(
            dap=dap,
            actor=request.user,
            accept=False,
            reason=form.cleaned_data["reason"],
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, dap, refuse_form=form, status=400),
        back=_page(dap),
        then=reverse("dap_gestion:queue"),
        done=f"Demande {dap.reference} refusée ; l'employeur en est informé.",
    )


@require_safe
@instructor_required
def download_attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attachments = Attachment.objects.exclude(request__status=AuthorisationRequest.Status.DRAFT)
    return attachment_response(get_object_or_404(attachments, pk=pk))


@require_safe
@instructor_required
def decision_document(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return pdf_response(get_object_or_404(Decision.objects.select_related("request"), pk=pk))


@require_safe
@instructor_required
def decision_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("request__establishment"), pk=pk)
    return decision_page_response(
        request,
        decision,
        base="backoffice/base.html",
        pdf_url=reverse("dap_gestion:decision", args=[decision.pk]),
        back=(
            reverse("dap_gestion:detail", args=[decision.request_id]),
            gettext("Demande {reference}").format(reference=decision.request.reference),
        ),
    )
