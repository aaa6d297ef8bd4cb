"""Créer mon espace: step 1 (SIRET), step 2 (establishment and account), the outcome page."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_safe

from apart.audit.context import AuditContext
from apart.audit.services import client_ip
from apart.core import quotas
from apart.core.captcha import captcha_switch
from apart.core.captcha_proof import PROOF_FIELD, issue_captcha_proof, redeem_captcha_proof
from apart.core.errors import add_to_form
from apart.core.timing import pad_to
from apart.directory.eligibility import UNKNOWN_SIRET, known_cities, sirene_prefill
from apart.directory.lookup import LookupStatus
from apart.establishments.selectors import siret_eligibility
from apart.habilitations.gate import login_refusal
from apart.proconnect.services import LinkRefused, registration_details
from apart.proconnect.session import forget_pending, pending_identity, take_offered_siret
from apart.registration import journey
from apart.registration import messages as texts
from apart.registration.claims import ClaimError, cancel_claim, claim_for_token, confirm_claim
from apart.registration.claims import holder_message as claim_holder_message
from apart.registration.forms import SiretStepForm, SpaceStepForm
from apart.registration.services import (
    RegistrationRefused,
    SpaceAlreadyExists,
    register_space,
)

STEP1_TEMPLATE = "registration/step1.html"
STEP2_TEMPLATE = "registration/step2.html"
CAPTCHA_PURPOSE = "registration"


def _throttled(request: HttpRequest, step: str) -> str | None:
    """Count one submission of ``step`` from this address; the message if over the limit."""
    verdict = quotas.count(
        f"registration:{step}",
        address=client_ip(request) or "",
        per_address=settings.APART_REGISTRATION_RATE_LIMIT,
        window=timedelta(seconds=settings.APART_REGISTRATION_RATE_WINDOW),
    )
    if verdict.allowed:
        return None
    retry_at = timezone.localtime(verdict.retry_at) if verdict.retry_at else timezone.localtime()
    return texts.too_many_attempts(time_format(retry_at, "H\\hi"))


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: "Veuillez indiquer votre numéro de Siret"."""
    if request.method != "POST":
        return render(request, STEP1_TEMPLATE, {"form": SiretStepForm()})
    form = SiretStepForm(request.POST)
    refusal = _throttled(request, "step1")
    if refusal:
        messages.error(request, refusal)
        return render(request, STEP1_TEMPLATE, {"form": form.refilled()}, status=429)
    if captcha_switch(request.POST):
        return render(request, STEP1_TEMPLATE, {"form": form.refilled()})
    if form.is_valid():
        siret = form.cleaned_data["siret"]
        eligibility = siret_eligibility(siret)
        if eligibility.eligible:
            journey.remember_siret(request, siret)
            return redirect("registration:details")
        form.add_error("siret", eligibility.refusal or "")
    return render(request, STEP1_TEMPLATE, {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    """Step 2: "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE"."""
    offered = take_offered_siret(request)
    if offered is not None:  # came from ProConnect: its SIRET stands for step 1
        journey.remember_siret(request, offered)
    siret = journey.validated_siret(request)
    if siret is None:
        expired = journey.STEP1_KEY in request.session
        journey.forget_siret(request)
        messages.warning(request, gettext(texts.STEP1_EXPIRED if expired else texts.STEP1_MISSING))
        return redirect("registration:start")
    # SIRENE is read again: the greyed fields are its values, never the browser's.
    eligibility = siret_eligibility(siret)
    if not eligibility.eligible or eligibility.lookup is None:
        journey.forget_siret(request)
        messages.error(request, eligibility.refusal or UNKNOWN_SIRET)
        return redirect("registration:start")
    lookup = eligibility.lookup
    sirene = sirene_prefill(lookup)
    # Came through "S'identifier avec ProConnect": the person's fields are filled in from it.
    proconnect = pending_identity(request)
    if request.method != "POST":
        initial = registration_details(proconnect) if proconnect is not None else {}
        form = SpaceStepForm(sirene=sirene, known_cities=known_cities, initial=initial)
        return render(request, STEP2_TEMPLATE, {"form": form})
    passed = redeem_captcha_proof(request, request.POST.get(PROOF_FIELD), purpose=CAPTCHA_PURPOSE)
    form = SpaceStepForm(
        request.POST, sirene=sirene, known_cities=known_cities, captcha_passed=passed
    )
    refusal = _throttled(request, "step2")
    if refusal:
        messages.error(request, refusal)
        return render(request, STEP2_TEMPLATE, {"form": form.refilled()}, status=429)
    if captcha_switch(request.POST):
        return render(request, STEP2_TEMPLATE, {"form": form.refilled()})
    if not form.ready():
        context: dict[str, object] = {"form": form}
        if form.is_valid():
            # Shown again for a non-blocking check only: the captcha is not asked again.
            context["captcha_proof"] = issue_captcha_proof(request, purpose=CAPTCHA_PURPOSE)
        return render(request, STEP2_TEMPLATE, context)
    # A known email takes a shorter path (an emailed claim) than a new one (account and space):
    # both answers are padded to the same floor (docs/security.md, "Registration timing").
    started = time.monotonic()
    try:
        outcome = register_space(
            siret=siret,
            establishment=form.details(),
            person=form.person(),
            name_flagged=form.name_flagged,
            prefilled_from_sirene=lookup.status == LookupStatus.FOUND,
            proconnect=proconnect,
            audit=AuditContext.from_request(request),
        )
    except SpaceAlreadyExists as refused:
        journey.forget_siret(request)
        messages.error(request, refused.message)
        return redirect("registration:start")
    except LinkRefused as refused:  # the identity was linked elsewhere a moment ago
        journey.forget_siret(request)
        forget_pending(request)
        messages.error(request, refused.message)
        return redirect("registration:start")
    except RegistrationRefused as refused:
        add_to_form(form, refused)
        return render(request, STEP2_TEMPLATE, {"form": form}, status=400)
    pad_to(started, seconds=settings.APART_REGISTRATION_MIN_SECONDS)
    journey.forget_siret(request)
    forget_pending(request)
    journey.remember_outcome(request, outcome.message)
    return redirect("registration:done")


@require_safe
def done(request: HttpRequest) -> HttpResponse:
    """The guide's "Information" box after step 2 (shown once)."""
    message = journey.pop_outcome(request)
    if message is None:
        return redirect("core:home")
    return render(request, "registration/done.html", {"outcome_message": message})


CLAIM_TEMPLATE = "registration/claim.html"


@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The link emailed to an existing account's address (the guide's case 2, with proof).

    An account that can log in to APART must be logged in (login, then back here); otherwise the
    link itself proves the mailbox. The holder sees the guide's message, then confirms (the
    SIRET becomes a request that an agent decides) or cancels."""
    found = claim_for_token(token)
    if found is None:
        return render(request, CLAIM_TEMPLATE, {"error": gettext(texts.CLAIM_INVALID)}, status=404)
    user = request.user
    if not user.is_authenticated and login_refusal(found.account) is None:
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    if user.is_authenticated and user.pk != found.account_id:
        return render(
            request, CLAIM_TEMPLATE, {"error": gettext(texts.CLAIM_OTHER_ACCOUNT)}, status=403
        )
    if request.method != "POST":
        context = {
            "claim": found,
            "details": found.establishment_details,
            "message": claim_holder_message(found),
        }
        return render(request, CLAIM_TEMPLATE, context)
    try:
        if request.POST.get("action") == "annuler":
            cancel_claim(claim=found, audit=AuditContext.from_request(request))
            message = gettext(texts.CLAIM_CANCELLED)
        else:
            message = confirm_claim(claim=found, audit=AuditContext.from_request(request)).message
    except ClaimError as refused:
        return render(request, CLAIM_TEMPLATE, {"error": refused.message}, status=409)
    journey.remember_outcome(request, message)
    return redirect("registration:done")
