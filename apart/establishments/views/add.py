"""Another SIRET while logged in: « DEMANDE CRÉATION DE COMPTE » (SIRET, then "Information
établissement"), attached to the person's habilitation once an agent approves it."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from apart.accounts.decorators import employer_required
from apart.accounts.models import Account
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.audit.context import AuditContext
from apart.core import ratelimit
from apart.directory.eligibility import known_cities, sirene_prefill
from apart.establishments.forms.details import EstablishmentDetailsForm, SiretForm
from apart.establishments.selectors import siret_eligibility
from apart.establishments.services.rules import MembershipError
from apart.establishments.services.spaces import add_establishment

_ADD_SESSION_KEY = "space_add_siret"


def _throttled(account: Account) -> str | None:
    verdict = ratelimit.hit(
        f"space:add-siret:{account.pk}",
        limit=settings.APART_ADD_SIRET_PER_HOUR,
        window=timedelta(hours=1),
    )
    if verdict.allowed:
        return None
    return "Trop de demandes en une heure. Veuillez réessayer plus tard."


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_siret(request: AuthenticatedRequest) -> HttpResponse:
    """« DEMANDE CRÉATION DE COMPTE », step 1: the SIRET, with registration's step-1 controls."""
    if request.method != "POST":
        return render(request, "establishments/add_siret.html", {"form": SiretForm()})
    form = SiretForm(request.POST)
    refusal = _throttled(current_account(request))
    if refusal:
        form.add_error(None, refusal)
        return render(request, "establishments/add_siret.html", {"form": form}, status=429)
    if form.is_valid():
        siret = form.cleaned_data["siret"]
        eligibility = siret_eligibility(siret)
        if eligibility.eligible:
            request.session[_ADD_SESSION_KEY] = siret
            return redirect("establishments:add_details")
        form.add_error("siret", eligibility.refusal or "")
    return render(request, "establishments/add_siret.html", {"form": form}, status=400)


@employer_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_details(request: AuthenticatedRequest) -> HttpResponse:
    """Step 2: "Information établissement" (SIRENE's values greyed), then the establishment is
    attached to the person's habilitation."""
    siret = request.session.get(_ADD_SESSION_KEY)
    if not isinstance(siret, str):
        return redirect("establishments:add_siret")
    eligibility = siret_eligibility(siret)
    if not eligibility.eligible or eligibility.lookup is None:
        request.session.pop(_ADD_SESSION_KEY, None)
        messages.error(request, eligibility.refusal or "Ce numéro de Siret est inconnu.")
        return redirect("establishments:add_siret")
    sirene = sirene_prefill(eligibility.lookup)
    if request.method != "POST":
        form = EstablishmentDetailsForm(sirene=sirene, known_cities=known_cities)
        return render(request, "establishments/add_details.html", {"form": form})
    form = EstablishmentDetailsForm(request.POST, sirene=sirene, known_cities=known_cities)
    if not form.ready():
        return render(request, "establishments/add_details.html", {"form": form}, status=400)
    account = current_account(request)
    try:
        establishment = add_establishment(
            account=account,
            siret=siret,
            details=form.details(),
            audit=AuditContext.from_request(request),
        )
    except MembershipError as refused:
        request.session.pop(_ADD_SESSION_KEY, None)
        messages.error(request, refused.message)
        return redirect("establishments:add_siret")
    request.session.pop(_ADD_SESSION_KEY, None)
    messages.info(
        request,
        gettext(
            "Votre demande de rattachement de l'établissement {denomination} a bien "
            "été transmise. Il sera accessible lorsqu'un agent l'aura validée ; un courriel vous "
            "informera de sa décision."
        ).format(denomination=establishment.denomination),
    )
    return redirect("establishments:list")
