"""The employer's space: dashboard (guide, « Première connexion », step 4), help, "Mon compte"."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.decorators import employer_required
from apart.accounts.middleware import password_change_not_required
from apart.accounts.reauth import has_recent_auth, reauth_url, recent_auth_required
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.accounts.services import set_secret_question
from apart.audit.context import AuditContext
from apart.establishments import current
from apart.establishments.completeness import COMPLETE, INCOMPLETE
from apart.establishments.links import fiche_path
from apart.establishments.selectors import (
    establishment_for,
    listed_complete,
)
from apart.space.forms import EmailChangeForm, PhoneForm, SecretQuestionForm
from apart.space.links import space_paths
from apart.space.selectors import current_of, dashboard_summary, last_logins
from apart.space.services import (
    AccountChangeError,
    change_phone,
    confirm_email_change,
    pending_email_change,
    request_email_change,
)

INCOMPLETE_TITLE = "Votre fiche établissement est incomplète !"
INCOMPLETE_TEXT = (
    "La création d'une demande d'autorisation préalable est impossible tant que votre fiche "
    "établissement n'est pas complète."
)
COMING_SOON = "Disponible prochainement"
REAUTH_TEXT = (
    "Pour modifier votre téléphone, votre courriel ou votre question secrète, confirmez d'abord "
    "votre mot de passe actuel : ces changements protègent l'accès à votre compte."
)
CLAIM_IMPOSSIBLE = (
    "Une demande d'indemnisation se dépose au titre d'une décision d'autorisation : vous n'en "
    "avez encore reçu aucune."
)


@employer_required
@require_safe
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """« BONJOUR, <login> », « Mes Etablissements » and the DAP / decision / DI blocks. A constant
    query whatever the number of establishments (see dashboard_summary), a second one only when
    the current establishment is not among the first shown. An employer with more
    establishments than the few shown gets their total and a search that opens the list
    (« Voir tous mes Etablissements »: search by name, SIRET or town, pages of 20)."""
    account = current_account(request)
    summary = dashboard_summary(account)
    counts = summary.counts
    current_establishment = current_of(account, summary.shown, current.current_id(request))
    # The stored completeness (selectors.listed): no fiche field is read for the list.
    incomplete = current_establishment is not None and not listed_complete(current_establishment)
    rows = [
        (
            establishment,
            COMPLETE if listed_complete(establishment) else INCOMPLETE,
            fiche_path(establishment.pk),
        )
        for establishment in summary.shown
    ]
    current_fiche = fiche_path(current_establishment.pk) if current_establishment else ""
    return render(
        request,
        "space/dashboard.html",
        {
            "current_establishment": current_establishment,
            "space_paths": space_paths(),
            "current_fiche_path": current_fiche,
            "total_establishments": summary.total,
            "establishment_rows": rows,
            # Only the first few are shown: the others are reached by the list's search.
            "more_establishments": summary.total > len(rows),
            "current_incomplete": incomplete,
            "incomplete_title": INCOMPLETE_TITLE,
            "incomplete_text": INCOMPLETE_TEXT,
            "coming_soon": COMING_SOON,
            # DAP, decisions and DI of all the person's establishments: one query.
            "dap_count": counts.requests,
            "decision_count": counts.decisions,
            "claim_count": counts.claims,
            "claim_possible": counts.accepted_decisions > 0,
            "claim_impossible_text": CLAIM_IMPOSSIBLE,
        },
    )


@employer_required
@require_POST
def choose_current(request: AuthenticatedRequest) -> HttpResponse:
    """Make one of the person's establishments the current one (others' ids: 404)."""
    establishment = establishment_for(
        current_account(request), request.POST.get("establishment", "")
    )
    current.choose(request, establishment)
    messages.success(
        request,
        gettext("Établissement courant : {denomination} ({siret}).").format(
            denomination=establishment.denomination, siret=establishment.siret
        ),
    )
    return redirect("space:dashboard")


@password_change_not_required
@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """« BESOIN D'AIDE ? »: the guide's answers (first login, forgotten password or login) and
    the assistance line. Public: it is also reached from the home page."""
    return render(request, "space/help.html")


# -- Mon compte ---------------------------------------------------------------------------------
def _my_account(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    account = current_account(request)
    context = {
        "phone_form": forms.get("phone_form") or PhoneForm(initial={"phone": account.phone}),
        "email_form": forms.get("email_form") or EmailChangeForm(),
        "question_form": forms.get("question_form")
        or SecretQuestionForm(initial={"secret_question": account.secret_question}),
        "last_logins": last_logins(account),
        # The forms show once the password was confirmed (recent authentication): nothing typed
        # is lost to the confirmation page.
        "recent_auth": has_recent_auth(request),
        "reauth_link": reauth_url(request, reverse("space:my_account")),
        "reauth_text": REAUTH_TEXT,
    }
    return render(request, "space/my_account.html", context, status=status)


def _back_to_my_account(request: HttpRequest) -> str:
    return reverse("space:my_account")


@employer_required
@require_safe
def my_account(request: AuthenticatedRequest) -> HttpResponse:
    return _my_account(request)


@employer_required
@require_POST
@recent_auth_required(return_to=_back_to_my_account)
def change_phone_view(request: AuthenticatedRequest) -> HttpResponse:
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _my_account(request, phone_form=form, status=400)
    if change_phone(
        account=current_account(request),
        phone=form.cleaned_data["phone"],
        audit=AuditContext.from_request(request),
    ):
        messages.success(request, gettext("Votre numéro de téléphone a été modifié."))
    return redirect("space:my_account")


@employer_required
@require_POST
@recent_auth_required(return_to=_back_to_my_account)
def change_email_view(request: AuthenticatedRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST)
    if not form.is_valid():
        return _my_account(request, email_form=form, status=400)
    try:
        request_email_change(
            account=current_account(request),
            new_email=form.cleaned_data["email"],
            audit=AuditContext.from_request(request),
        )
    except AccountChangeError as refused:
        form.add_error("email", refused.message)
        return _my_account(request, email_form=form, status=400)
    messages.success(
        request,
        gettext(
            "Un courriel de confirmation a été envoyé à la nouvelle adresse : votre adresse sera "
            "modifiée lorsque vous aurez cliqué sur le lien qu'il contient."
        ),
    )
    return redirect("space:my_account")


@sensitive_post_parameters("secret_answer")
@employer_required
@require_POST
@recent_auth_required(return_to=_back_to_my_account)
def change_secret_question_view(request: AuthenticatedRequest) -> HttpResponse:
    """The current password is proven on « Mot de passe actuel » (recent authentication), whose
    failures count in the login's lockout."""
    account = current_account(request)
    form = SecretQuestionForm(request.POST)
    if not form.is_valid():
        return _my_account(request, question_form=form, status=400)
    set_secret_question(
        account=account,
        question=form.cleaned_data["secret_question"],
        answer=form.cleaned_data["secret_answer"],
        actor=account,
        audit=AuditContext.from_request(request),
    )
    messages.success(request, gettext("Votre question secrète a été modifiée."))
    return redirect("space:my_account")


@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address: shown on GET, applied on POST (no write on GET)."""
    try:
        new_email = pending_email_change(token)
    except AccountChangeError as refused:
        return render(request, "space/email_confirm.html", {"error": refused.message}, status=400)
    if request.method != "POST":
        return render(request, "space/email_confirm.html", {"new_email": new_email, "error": ""})
    try:
        confirm_email_change(token=token, audit=AuditContext.from_request(request))
    except AccountChangeError as refused:
        return render(request, "space/email_confirm.html", {"error": refused.message}, status=400)
    messages.success(
        request,
        gettext("Votre adresse de courriel est désormais {email}.").format(email=new_email),
    )
    if request.user.is_authenticated:
        return redirect("space:my_account")
    return redirect("core:home")
