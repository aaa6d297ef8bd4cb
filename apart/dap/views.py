"""The employer's DAP pages and « Mes Décisions d'Autorisation » (under /espace/)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.decorators import employer_required
from apart.accounts.requests import current_account
from apart.audit.context import AuditContext
from apart.core import uploads
from apart.core.errors import add_to_form
from apart.core.recipes import unless_transmitted
from apart.dap import selectors, services
from apart.dap.document import decision_blocks, decision_pdf, letterhead
from apart.dap.files import AttachmentError
from apart.dap.forms import AttachmentForm, DapForm
from apart.dap.models import Attachment, AuthorisationRequest
from apart.establishments import current
from apart.establishments.completeness import is_complete
from apart.establishments.models import Establishment
from apart.establishments.selectors import establishments_of

FORM_SUMMARY = (
    "La demande n'a pas été enregistrée : corrigez les erreurs signalées sous les champs."
)


def _establishments(request: HttpRequest) -> list[Establishment]:
    return list(establishments_of(current_account(request)).select_related("fiche"))


def _dap_form(request: HttpRequest, data: Any = None, **kwargs: Any) -> DapForm:
    return DapForm(data, establishments=_establishments(request), **kwargs)


def _apply_errors(form: DapForm, error: services.DapError) -> None:
    """Each broken rule beside its field; any other refusal beside the establishment."""
    if isinstance(error, services.DapRuleError):
        for field, message in error.errors.items():
            add_to_form(form, services.DapError(message, field=field))
    else:
        add_to_form(form, services.DapError(error.message, field=error.field or "establishment"))


@employer_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    """« Voir toutes mes DAP »."""
    return render(
        request,
        "dap/list.html",
        {"requests": selectors.requests_of(current_account(request))[:500]},
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """« Créer une nouvelle demande »: saved as a draft, then completed and transmitted."""
    account = current_account(request)
    if request.method != "POST":
        chosen = request.GET.get("etablissement") or current.current_id(request)
        form = _dap_form(request, initial={"establishment": chosen})
        # The guide's rule, said before anything is typed when no fiche is complète.
        none_complete = not any(is_complete(e) for e in _establishments(request))
        return render(
            request,
            "dap/create.html",
            {"form": form, "summary": FORM_SUMMARY, "none_complete": none_complete},
        )
    form = _dap_form(request, request.POST)
    if form.is_valid():
        establishment = next(
            e for e in establishments_of(account) if e.pk == form.cleaned_data["establishment"]
        )
        try:
            dap = services.save_draft(
                establishment=establishment,
                values=form.draft_values(),
                actor=account,
                audit=AuditContext.from_request(request),
            )
        except services.DapError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext(
                    "Votre demande {reference} est enregistrée en brouillon. Joignez les pièces "
                    "utiles, puis transmettez-la."
                ).format(reference=dap.reference),
            )
            return redirect("dap:detail", pk=dap.pk)
    return render(
        request,
        "dap/create.html",
        {"form": form, "summary": FORM_SUMMARY, "none_complete": False},
        status=400,
    )


def _detail(
    request: HttpRequest,
    dap: AuthorisationRequest,
    *,
    form: DapForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = dap.status == AuthorisationRequest.Status.DRAFT
    if editable and form is None:
        values = {name: getattr(dap, name) for name in services.DRAFT_FIELDS}
        form = _dap_form(request, initial={"establishment": dap.establishment_id, **values})
    context = {
        "dap": dap,
        "editable": editable,
        "form": form,
        "summary": FORM_SUMMARY,
        "attachment_form": attachment_form or AttachmentForm(),
        "attachments": list(dap.attachments.all()),
        "decision": getattr(dap, "decision", None),
        "silence_days": settings.APART_DAP_SILENCE_DAYS,
    }
    return render(request, "dap/detail.html", context, status=status)


@employer_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_for(current_account(request), pk))


@employer_required
@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    dap = selectors.request_for(account, pk)
    transmitted = unless_transmitted(
        request,
        draft=dap.status == AuthorisationRequest.Status.DRAFT,
        message=services.ALREADY_SUBMITTED,
        page=reverse("dap:detail", args=[dap.pk]),
    )
    if transmitted is not None:
        return transmitted
    form = _dap_form(request, request.POST)
    if form.is_valid():
        if form.cleaned_data["establishment"] != dap.establishment_id:
            form.add_error("establishment", "L'établissement d'une demande ne change pas.")
        else:
            try:
                services.save_draft(
                    establishment=dap.establishment,
                    values=form.draft_values(),
                    actor=account,
                    dap=dap,
                    audit=AuditContext.from_request(request),
                )
            except services.DapError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, gettext("Le brouillon a été enregistré."))
                return redirect("dap:detail", pk=dap.pk)
    return _detail(request, dap, form=form, status=400)


@employer_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    dap = selectors.request_for(account, pk)
    try:
        services.submit_dap(dap=dap, actor=account, audit=AuditContext.from_request(request))
    except services.DapRuleError as error:
        # The draft's own values, bound, so that each broken rule shows next to its field.
        saved = {name: getattr(dap, name) for name in services.DRAFT_FIELDS}
        data = {k: v for k, v in saved.items() if v not in (None, False)}
        form = _dap_form(request, {"establishment": dap.establishment_id, **data})
        form.is_valid()
        _apply_errors(form, error)
        messages.error(
            request,
            gettext("La demande n'a pas été transmise : {reason}").format(reason=error.message),
        )
        return _detail(request, dap, form=form, status=400)
    except services.DapError as error:
        messages.error(request, error.message)
        return redirect("dap:detail", pk=dap.pk)
    messages.success(
        request,
        gettext(
            "Votre demande {reference} a été transmise. Sans décision notifiée dans les "
            "{days} jours, elle sera réputée acceptée."
        ).format(reference=dap.reference, days=settings.APART_DAP_SILENCE_DAYS),
    )
    return redirect("dap:detail", pk=dap.pk)


@employer_required
@require_POST
def add_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    dap = selectors.request_for(account, pk)
    form = AttachmentForm(request.POST, request.FILES, too_large=uploads.too_large(request))
    if form.is_valid():
        try:
            attachment = services.add_attachment(
                dap=dap,
                upload=form.upload(),
                actor=account,
                audit=AuditContext.from_request(request),
            )
        except AttachmentError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                gettext("Pièce jointe « {name} » ajoutée.").format(name=attachment.original_name),
            )
            return redirect("dap:detail", pk=dap.pk)
    return _detail(request, dap, attachment_form=form, status=400)


@employer_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    attachment = selectors.attachment_for(account, pk)
    try:
        services.remove_attachment(
            attachment=attachment, actor=account, audit=AuditContext.from_request(request)
        )
    except AttachmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Pièce jointe « {name} » supprimée.").format(name=attachment.original_name),
        )
    return redirect("dap:detail", pk=attachment.request_id)


def attachment_response(attachment: Attachment) -> HttpResponse:
    """The stored PDF (5 MB at most), always as a download of type application/pdf: never
    rendered inline from our origin."""
    with attachment.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.original_name
    )
    return response


@employer_required
@require_safe
def download_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    return attachment_response(selectors.attachment_for(current_account(request), pk))


@employer_required
@require_safe
def decision_list(request: HttpRequest) -> HttpResponse:
    """« Mes Décisions d'Autorisation »."""
    return render(
        request,
        "dap/decisions.html",
        {"decisions": selectors.decisions_of(current_account(request))},
    )


def pdf_response(decision: Any) -> HttpResponse:
    response = HttpResponse(decision_pdf(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.reference}.pdf"'
    return response


@employer_required
@require_safe
def decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(selectors.decision_for(current_account(request), pk))


def decision_page_response(
    request: HttpRequest, decision: Any, *, base: str, pdf_url: str, back: tuple[str, str]
) -> HttpResponse:
    """The decision's accessible version: the PDF's content as an HTML page (RGAA 13.3)."""
    return render(
        request,
        "dap/decision_page.html",
        {
            "base_template": base,
            "nav": "dap",  # the agents' menu; the employer's reads the address
            "decision": decision,
            "blocks": decision_blocks(decision),
            "letterhead": letterhead(),
            "pdf_url": pdf_url,
            "back_url": back[0],
            "back_label": back[1],
        },
    )


@employer_required
@require_safe
def decision_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Same access as the PDF: another employer's decision is a 404 like an unknown one."""
    decision = selectors.decision_for(current_account(request), pk)
    return decision_page_response(
        request,
        decision,
        base="space/base.html",
        pdf_url=reverse("dap:decision_document", args=[decision.pk]),
        back=(reverse("dap:decisions"), gettext("Mes Décisions d'Autorisation")),
    )
