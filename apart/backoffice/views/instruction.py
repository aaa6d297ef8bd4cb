"""Instruction of habilitation requests by agents with the instructeur role."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import instructor_required
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
from apart.fraud.forms import ReviewForm, RiskFilterForm
from apart.fraud.selectors import risk_of, with_risk
from apart.habilitations import attachments as attachment_services
from apart.habilitations import services
from apart.habilitations.dates import french_date
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.habilitations.selectors import habilitations_of


@require_safe
@instructor_required
def queue(request: HttpRequest) -> HttpResponse:
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
        },
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


def _back(habilitation: Habilitation) -> HttpResponseRedirect:
    return redirect(reverse("backoffice:request", args=[habilitation.pk]))


@require_safe
@instructor_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, _habilitation(pk))


@require_POST
@instructor_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _show(request, habilitation, approve_form=form)
    try:
        approved = services.approve_habilitation(
            habilitation=habilitation,
            actor=request.user,
            start_date=form.cleaned_data["start_date"],
            end_date=form.cleaned_data["end_date"],
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except services.AlreadyDecided as error:
        messages.error(request, error.message)
        return _back(habilitation)
    except services.HabilitationError as error:
        form.add_error(None, error.message)
        return _show(request, habilitation, approve_form=form)
    assert approved.start_date is not None  # noqa: S101
    messages.success(
        request,
        f"Habilitation de {approved.account.login} approuvée à compter du "
        f"{french_date(approved.start_date)} ; le courriel lui a été envoyé.",
    )
    return redirect("backoffice:queue")


def _decide(
    request: HttpRequest,
    habilitation: Habilitation,
    *,
    form: Any,
    form_name: str,
    decide: Callable[..., Any],
    error_field: str,
) -> HttpResponse | None:
    """Run one agent decision from its form: None when done, else the response to show (the
    form with its errors, or the request page when another agent decided first)."""
    if not form.is_valid():
        return _show(request, habilitation, **{form_name: form})
    try:
        decide(habilitation=habilitation, actor=request.user, request=request, **form.cleaned_data)
    except services.AlreadyDecided as error:
        messages.error(request, error.message)
        return _back(habilitation)
    except services.HabilitationError as error:
        form.add_error(error_field, error.message)
        return _show(request, habilitation, **{form_name: form})
    return None


@require_POST
@instructor_required
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    refused = _decide(
        request,
        habilitation,
        form=RejectForm(request.POST),
        form_name="reject_form",
        decide=services.reject_habilitation,
        error_field="reason",
    )
    if refused is not None:
        return refused
    messages.success(request, f"Demande de {habilitation.account.login} refusée.")
    return redirect("backoffice:queue")


@require_POST
@instructor_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    refused = _decide(
        request,
        habilitation,
        form=ExtendForm(request.POST),
        form_name="extend_form",
        decide=services.extend_habilitation,
        error_field="end_date",
    )
    if refused is not None:
        return refused
    messages.success(request, "Habilitation prolongée ; le titulaire en est informé.")
    return _back(habilitation)


@require_POST
@instructor_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation = _habilitation(pk)
    refused = _decide(
        request,
        habilitation,
        form=RevokeForm(request.POST),
        form_name="revoke_form",
        decide=services.revoke_habilitation,
        error_field="reason",
    )
    if refused is not None:
        return refused
    messages.success(request, "Habilitation révoquée ; le titulaire en est informé.")
    return _back(habilitation)


@require_POST
@instructor_required
def bulk_approve(request: HttpRequest) -> HttpResponse:
    form = BulkApproveForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("habilitation", []):
            messages.error(request, str(error))
        return redirect("backoffice:queue")
    outcome = services.approve_habilitations(
        habilitation_ids=form.cleaned_data["habilitation"], actor=request.user, request=request
    )
    messages.success(request, f"{outcome.approved} demande(s) approuvée(s).")
    for pk, reason in outcome.refused:
        messages.warning(request, f"Demande n° {pk} non approuvée : {reason}")
    return redirect("backoffice:queue")


def _decide_attachment(
    request: HttpRequest, pk: int, *, approve: bool
) -> tuple[AttachmentRequest, HttpResponse | None]:
    attachment = get_object_or_404(
        AttachmentRequest.objects.select_related("habilitation", "establishment"), pk=pk
    )
    prefix = f"rattachement-{attachment.pk}"
    form: Any = (ApproveAttachmentForm if approve else RejectForm)(request.POST, prefix=prefix)
    name = f"{'approve' if approve else 'reject'}_{attachment.pk}"
    if not form.is_valid():
        return attachment, _show(request, _habilitation(attachment.habilitation_id), **{name: form})
    try:
        if approve:
            attachment_services.approve_attachment(
                attachment=attachment,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                request=request,
            )
        else:
            attachment_services.reject_attachment(
                attachment=attachment, actor=request.user, request=request, **form.cleaned_data
            )
    except services.AlreadyDecided as error:
        messages.error(request, error.message)
        return attachment, _back(attachment.habilitation)
    except services.HabilitationError as error:
        form.add_error(None, error.message)
        return attachment, _show(request, _habilitation(attachment.habilitation_id), **{name: form})
    return attachment, None


@require_POST
@instructor_required
def approve_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, refused = _decide_attachment(request, pk, approve=True)
    if refused is not None:
        return refused
    messages.success(
        request,
        f"Rattachement de l'établissement {attachment.establishment.siret} approuvé ; le "
        "courriel a été envoyé au titulaire.",
    )
    return redirect("backoffice:queue")


@require_POST
@instructor_required
def reject_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, refused = _decide_attachment(request, pk, approve=False)
    if refused is not None:
        return refused
    messages.success(
        request, f"Rattachement de l'établissement {attachment.establishment.siret} refusé."
    )
    return redirect("backoffice:queue")
