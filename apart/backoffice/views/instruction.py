"""Instruction of habilitation requests by agents with the instructeur role."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import instructor_required
from apart.accounts.requests import AuthenticatedRequest
from apart.audit.context import AuditContext
from apart.backoffice import selectors
from apart.backoffice.forms import (
    ApproveAttachmentForm,
    ApproveForm,
    BulkApproveForm,
    ExtendForm,
    QueueFilterForm,
    RejectForm,
    RevokeForm,
    approve_initial,
)
from apart.core.recipes import agent_decision
from apart.fraud.forms import ReviewForm, RiskFilterForm
from apart.fraud.selectors import risk_of, with_risk
from apart.habilitations import attachments as attachment_services
from apart.habilitations import services
from apart.habilitations.dates import french_date
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.habilitations.selectors import habilitations_of


@require_safe
@instructor_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    return _queue(request, BulkApproveForm())


def _queue(request: HttpRequest, bulk_form: BulkApproveForm, *, status: int = 200) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    risk_filters = RiskFilterForm(request.GET or None)
    pending = selectors.pending_queue(**(filters.cleaned_data if filters.is_valid() else {}))
    pending = with_risk(pending, **risk_filters.risk_options())
    return render(
        request,
        "backoffice/queue.html",
        {
            "nav": "queue",
            "filters": filters,
            "risk_filters": risk_filters,
            "pending": pending[:200],
            "pending_count": pending.count(),
            "renewals": selectors.renewal_queue()[:200],
            "attachments": selectors.attachment_queue()[:200],
            "bulk_form": bulk_form,
            "selected": bulk_form.selected(),
        },
        status=status,
    )


def _detail(habilitation: Habilitation, **forms: Any) -> dict[str, Any]:
    snapshots = list(
        habilitation.registration_requests.select_related("establishment").order_by("created_at")
    )
    establishments = [
        selectors.establishment_review(
            establishment,
            next((s for s in snapshots if s.establishment_id == establishment.pk), None),
        )
        for establishment in habilitation.establishments.order_by("pk")
    ]
    return {
        "nav": "queue",
        "attachments": [
            _attachment_item(attachment, snapshots, forms)
            for attachment in attachment_services.pending_attachments(habilitation)
        ],
        "habilitation": habilitation,
        "account": habilitation.account,
        "establishments": establishments,
        "person": snapshots[0] if snapshots else None,
        "warnings": selectors.request_warnings(habilitation),
        "risk": risk_of(habilitation),
        "review_form": ReviewForm(),
        "events": habilitation.events.select_related("actor"),
        "audit": selectors.habilitation_audit(habilitation)[:100],
        "other_habilitations": habilitations_of(account=habilitation.account).exclude(
            pk=habilitation.pk
        ),
        "approve_form": forms.get("approve_form")
        or ApproveForm(initial=approve_initial(habilitation.application.default_validity)),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "extend_form": forms.get("extend_form")
        or ExtendForm(
            initial={"end_date": habilitation.end_date + habilitation.application.default_validity}
            if habilitation.end_date
            else {}
        ),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
    }


def _attachment_item(
    attachment: AttachmentRequest, snapshots: list[Any], forms: dict[str, Any]
) -> dict[str, Any]:
    """One pending attachment on the request page, with its two forms (prefixed: several
    attachments can wait on one page)."""
    prefix = f"rattachement-{attachment.pk}"
    typed = next((s for s in snapshots if s.establishment_id == attachment.establishment_id), None)
    return {
        "attachment": attachment,
        "review": selectors.establishment_review(attachment.establishment, typed),
        "approve_form": forms.get(f"approve_{attachment.pk}")
        or ApproveAttachmentForm(prefix=prefix),
        "reject_form": forms.get(f"reject_{attachment.pk}") or RejectForm(prefix=prefix),
    }


def _habilitation(pk: int) -> Habilitation:
    return get_object_or_404(
        Habilitation.objects.select_related("account", "application", "decided_by"), pk=pk
    )


def _show(request: HttpRequest, habilitation: Habilitation, **forms: Any) -> HttpResponse:
    return render(request, "backoffice/request.html", _detail(habilitation, **forms))


@require_safe
@instructor_required
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _show(request, _habilitation(pk))


def _page(habilitation: Habilitation) -> str:
    return reverse("backoffice:request", args=[habilitation.pk])


def _approved(approved: Habilitation) -> str:
    assert approved.start_date is not None  # noqa: S101 (DB constraint: active has dates)
    return (
        f"Habilitation de {approved.account.login} approuvée à compter du "
        f"{french_date(approved.start_date)} ; le courriel lui a été envoyé."
    )


@require_POST
@instructor_required
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    form = ApproveForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.approve_habilitation(
            habilitation=habilitation,
            actor=request.user,
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            comment=form.cleaned_data["comment"],
            audit=AuditContext.from_request(request),
        ),
        show=lambda: _show(request, habilitation, approve_form=form),
        back=_page(habilitation),
        then=reverse("backoffice:queue"),
        done=_approved,
    )


@require_POST
@instructor_required
def reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    form = RejectForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.reject_habilitation(
            habilitation=habilitation,
            actor=request.user,
            audit=AuditContext.from_request(request),
            **form.cleaned_data,
        ),
        show=lambda: _show(request, habilitation, reject_form=form),
        back=_page(habilitation),
        then=reverse("backoffice:queue"),
        done=f"Demande de {habilitation.account.login} refusée.",
    )


@require_POST
@instructor_required
def extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    form = ExtendForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.extend_habilitation(
            habilitation=habilitation,
            actor=request.user,
            audit=AuditContext.from_request(request),
            **form.cleaned_data,
        ),
        show=lambda: _show(request, habilitation, extend_form=form),
        back=_page(habilitation),
        then=_page(habilitation),
        done="Habilitation prolongée ; le titulaire en est informé.",
    )


@require_POST
@instructor_required
def revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    form = RevokeForm(request.POST)
    return agent_decision(
        request,
        form=form,
        decide=lambda: services.revoke_habilitation(
            habilitation=habilitation,
            actor=request.user,
            audit=AuditContext.from_request(request),
            **form.cleaned_data,
        ),
        show=lambda: _show(request, habilitation, revoke_form=form),
        back=_page(habilitation),
        then=_page(habilitation),
        done="Habilitation révoquée ; le titulaire en est informé.",
    )


@require_POST
@instructor_required
def bulk_approve(request: AuthenticatedRequest) -> HttpResponse:
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        return _queue(request, form, status=400)
    outcome = services.approve_habilitations(
        habilitation_ids=form.cleaned_data["habilitation"],
        actor=request.user,
        audit=AuditContext.from_request(request),
    )
    messages.success(
        request, gettext("{count} demande(s) approuvée(s).").format(count=outcome.approved)
    )
    for pk, reason in outcome.refused:
        messages.warning(
            request,
            gettext("Demande n° {number} non approuvée : {reason}").format(
                number=pk, reason=reason
            ),
        )
    return redirect("backoffice:queue")


def _attachment(pk: int) -> AttachmentRequest:
    return get_object_or_404(
        AttachmentRequest.objects.select_related("habilitation", "establishment"), pk=pk
    )


def _attachment_decision(
    request: HttpRequest,
    attachment: AttachmentRequest,
    *,
    form: ApproveAttachmentForm | RejectForm,
    name: str,
    decide: Callable[[], object],
    done: str,
) -> HttpResponse:
    return agent_decision(
        request,
        form=form,
        decide=decide,
        show=lambda: _show(request, _habilitation(attachment.habilitation_id), **{name: form}),
        back=_page(attachment.habilitation),
        then=reverse("backoffice:queue"),
        done=done,
    )


@require_POST
@instructor_required
def approve_attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attachment = _attachment(pk)
    form = ApproveAttachmentForm(request.POST, prefix=f"rattachement-{attachment.pk}")
    return _attachment_decision(
        request,
        attachment,
        form=form,
        name=f"approve_{attachment.pk}",
        decide=lambda: attachment_services.approve_attachment(
            attachment=attachment,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            audit=AuditContext.from_request(request),
        ),
        done=f"Rattachement de l'établissement {attachment.establishment.siret} approuvé ; le "
        "courriel a été envoyé au titulaire.",
    )


@require_POST
@instructor_required
def reject_attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    attachment = _attachment(pk)
    form = RejectForm(request.POST, prefix=f"rattachement-{attachment.pk}")
    return _attachment_decision(
        request,
        attachment,
        form=form,
        name=f"reject_{attachment.pk}",
        decide=lambda: attachment_services.reject_attachment(
            attachment=attachment,
            actor=request.user,
            audit=AuditContext.from_request(request),
            **form.cleaned_data,
        ),
        done=f"Rattachement de l'établissement {attachment.establishment.siret} refusé.",
    )
