"""The fiche établissement (identity, contact, mail address, activity), its bank details and the
SIRENE refresh."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apart.accounts.decorators import employer_required
from apart.accounts.reauth import has_recent_auth, reauth_redirect
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.audit.context import AuditContext
from apart.establishments import selectors
from apart.establishments.bank import mask_iban
from apart.establishments.completeness import (
    fiche_of,
    missing_items,
    status_label,
)
from apart.establishments.forms.fiche import BankDetailsForm, FicheForm
from apart.establishments.models import Establishment
from apart.establishments.services.fiche import (
    FICHE_FIELDS,
    RECENT_AUTH_NEEDED,
    FicheError,
    change_bank_details,
    refresh_from_sirene,
    update_fiche,
)


def _fiche_page(
    request: HttpRequest,
    establishment: Establishment,
    *,
    fiche_form: FicheForm | None = None,
    bank_form: BankDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    fiche = fiche_of(establishment)
    if fiche_form is None:
        initial = {name: getattr(fiche, name) for name in FICHE_FIELDS}
        fiche_form = FicheForm(initial=initial, postal_code=establishment.postal_code)
    account = current_account(request)
    return render(
        request,
        "establishments/fiche.html",
        {
            "establishment": establishment,
            "fiche": fiche,
            "fiche_form": fiche_form,
            "bank_form": bank_form or BankDetailsForm(),
            "masked_iban": mask_iban(fiche.iban),
            "missing": missing_items(establishment),
            "status_label": status_label(establishment),
            "is_main_contact": establishment.main_contact_id == account.pk,
            "bank_recent_auth": has_recent_auth(request),
            "bank_reauth_url": _bank_reauth_url(establishment),
        },
        status=status,
    )


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def fiche(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The fiche établissement: identity (SIRENE, read-only), contact, mail address, activity."""
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    if request.method != "POST":
        return _fiche_page(request, establishment)
    form = FicheForm(request.POST, postal_code=establishment.postal_code)
    if not form.is_valid():
        return _fiche_page(request, establishment, fiche_form=form, status=400)
    values = {name: form.cleaned_data[name] for name in FICHE_FIELDS}
    changed = update_fiche(
        establishment=establishment,
        values=values,
        actor=account,
        audit=AuditContext.from_request(request),
    )
    messages.success(
        request,
        "La fiche établissement a été enregistrée." if changed else "Aucune modification.",
    )
    return redirect("establishments:fiche", pk=establishment.pk)


def _bank_return(establishment: Establishment) -> str:
    return reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque"


def _bank_reauth_url(establishment: Establishment) -> str:
    """« Mot de passe actuel », then back to the bank details of the fiche."""
    return f"{reverse('accounts:reauth')}?{urlencode({'next': _bank_return(establishment)})}"


@sensitive_post_parameters("iban", "bic")
@employer_required
@require_POST
def bank_details(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    form = BankDetailsForm(request.POST)
    if not form.is_valid():
        return _fiche_page(request, establishment, bank_form=form, status=400)
    if establishment.main_contact_id == account.pk and not has_recent_auth(request):
        # The window of the recent authentication ended while the form was open.
        messages.error(request, RECENT_AUTH_NEEDED)
        # The account holder typed is kept (the IBAN and BIC never are: apart.accounts.drafts).
        return reauth_redirect(request, _bank_return(establishment))
    try:
        changed = change_bank_details(
            establishment=establishment,
            iban=form.cleaned_data["iban"],
            bic=form.cleaned_data["bic"],
            account_holder=form.cleaned_data["account_holder"],
            actor=account,
            recently_authenticated=has_recent_auth(request),
            audit=AuditContext.from_request(request),
        )
    except FicheError as refused:
        messages.error(request, refused.message)
        return redirect(
            reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque"
        )
    messages.success(
        request,
        "Les coordonnées bancaires ont été enregistrées. Les membres de l'établissement et son "
        "adresse de courriel en sont informés."
        if changed
        else "Les coordonnées bancaires sont inchangées.",
    )
    return redirect(reverse("establishments:fiche", kwargs={"pk": establishment.pk}) + "#banque")


@employer_required
@require_POST
def sirene_refresh(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """« Actualiser depuis SIRENE »."""
    account = current_account(request)
    establishment = selectors.establishment_for(account, pk)
    try:
        changed = refresh_from_sirene(
            establishment=establishment, actor=account, audit=AuditContext.from_request(request)
        )
    except FicheError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            "L'identité de l'établissement a été actualisée depuis le répertoire SIRENE."
            if changed
            else "L'identité de l'établissement est déjà à jour du répertoire SIRENE.",
        )
    return redirect("establishments:fiche", pk=establishment.pk)
