"""Helpdesk pages (assistance role): find an account, see everything about it, act on it."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from apart.accounts.decorators import assistance_required
from apart.accounts.models import Account
from apart.accounts.requests import AuthenticatedRequest
from apart.audit.context import AuditContext
from apart.backoffice import selectors, services
from apart.backoffice.forms import (
    AccountSearchForm,
    HelpdeskActionForm,
    SecondFactorResetForm,
)
from apart.core.errors import add_to_form
from apart.habilitations.selectors import habilitations_of
from apart.mfa.selectors import factors_of
from apart.notifications.selectors import emails_for_account
from apart.privacy import services as privacy

ACTIONS = {
    "resend_login": "Renvoyer l'identifiant",
    "unlock": "Déverrouiller le compte",
    "freeze": "Bloquer le compte (toutes ses sessions sont fermées)",
    "unfreeze": "Débloquer le compte",
    "reset_secret_question": "Réinitialiser la question secrète",
    # Right of access (RGPD art. 15): a JSON download, audited with the checks made.
    "export_personal_data": "Exporter les données personnelles (JSON)",
}


RESET_PREFIX = "reset_second_factor"
RESET_DONE = (
    "La double authentification est réinitialisée : le titulaire est prévenu par courriel et "
    "toutes ses sessions sont fermées."
)


@require_safe
@assistance_required
def search(request: HttpRequest) -> HttpResponse:
    form = AccountSearchForm(request.GET or None)
    results = (
        selectors.search_accounts(form.cleaned_data["q"], viewer=request.user)
        if form.is_valid()
        else None
    )
    return render(
        request,
        "backoffice/helpdesk_search.html",
        {"form": form, "results": results, "nav": "helpdesk"},
    )


def _visible_account(request: HttpRequest, pk: int) -> Account:
    """An account the agent may see (assistance: employers only), else 404."""
    return get_object_or_404(selectors.visible_accounts(request.user), pk=pk)


def _show(request: HttpRequest, account: Account, **forms: Any) -> HttpResponse:
    return render(
        request,
        "backoffice/helpdesk_account.html",
        {
            "nav": "helpdesk",
            "account": account,
            "locked_until": services.lock_state(account),
            "establishments": selectors.account_establishments(account),
            "habilitations": habilitations_of(account=account),
            "emails": emails_for_account(account)[:50],
            "audit": selectors.account_audit(account)[:100],
            "actions": [
                (name, label, forms.get(name) or HelpdeskActionForm(prefix=name))
                for name, label in ACTIONS.items()
            ],
            "factors": factors_of(account),
            "reset_form": forms.get(RESET_PREFIX) or SecondFactorResetForm(prefix=RESET_PREFIX),
        },
    )


@require_safe
@assistance_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _show(request, _visible_account(request, pk))


def _act(
    request: AuthenticatedRequest, pk: int, name: str, action: Callable[..., None], done: str
) -> HttpResponse:
    account = _visible_account(request, pk)
    form = HelpdeskActionForm(request.POST, prefix=name)
    if not form.is_valid():
        return _show(request, account, **{name: form})
    try:
        action(
            account=account,
            actor=request.user,
            checks=form.cleaned_data["checks"],
            audit=AuditContext.from_request(request),
        )
    except services.HelpdeskError as error:
        form.add_error("checks", error.message)  # the action's form has this field only
        return _show(request, account, **{name: form})
    messages.success(request, done)
    return redirect("backoffice:account", pk=account.pk)


@require_POST
@assistance_required
def resend_login(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "resend_login",
        services.resend_login_email,
        "Le courriel « Identifiant de connexion » a été renvoyé.",
    )


@require_POST
@assistance_required
def unlock(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "unlock", services.unlock_account, "Le compte est déverrouillé.")


@require_POST
@assistance_required
def freeze(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "freeze",
        services.freeze_account,
        "Le compte est bloqué : toutes ses sessions sont fermées.",
    )


@require_POST
@assistance_required
def unfreeze(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "unfreeze", services.unfreeze_account, "Le compte est débloqué.")


@require_POST
@assistance_required
def reset_secret_question(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reset_secret_question",
        services.reset_secret_question,
        "La question secrète est réinitialisée : l'utilisateur en choisira une nouvelle à sa "
        "prochaine connexion.",
    )


@require_POST
@assistance_required
def export_personal_data(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = _visible_account(request, pk)
    form = HelpdeskActionForm(request.POST, prefix="export_personal_data")
    if not form.is_valid():
        return _show(request, account, export_personal_data=form)
    data = privacy.export_personal_data(
        account=account,
        actor=request.user,
        checks=form.cleaned_data["checks"],
        audit=AuditContext.from_request(request),
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="donnees-personnelles-{account.pk}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@assistance_required
def reset_second_factor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """« Réinitialiser la double authentification » after an identity check it records."""
    account = _visible_account(request, pk)
    form = SecondFactorResetForm(request.POST, prefix=RESET_PREFIX)
    if not form.is_valid():
        return _show(request, account, **{RESET_PREFIX: form})
    try:
        services.reset_second_factor(
            account=account,
            actor=request.user,
            questions=form.cleaned_data["questions"],
            matched=form.cleaned_data["matched"],
            secret_answer=form.cleaned_data["secret_answer"],
            checks=form.cleaned_data["checks"],
            audit=AuditContext.from_request(request),
        )
    except services.HelpdeskError as error:
        add_to_form(form, error)
        return _show(request, account, **{RESET_PREFIX: form})
    messages.success(request, RESET_DONE)
    return redirect("backoffice:account", pk=account.pk)
