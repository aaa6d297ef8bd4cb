"""The login's second step (« Vérification en deux étapes »): a code from the app, a recovery
code, or a passkey. Wrong answers count in the login's own lockout counter."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apart.accounts.authentication import LoginOutcome, open_session
from apart.accounts.middleware import password_change_not_required
from apart.accounts.models import Account
from apart.audit.context import AuditContext
from apart.mfa import login, passkeys, recovery_codes, selectors, services, totp
from apart.mfa.forms import VerifyForm
from apart.mfa.middleware import second_factor_not_required
from apart.mfa.models import Passkey

EXPIRED = gettext_noop(
    "Votre connexion a expiré. Saisissez à nouveau votre identifiant et votre mot de passe."
)
PASSKEY_FAILED = gettext_noop(
    "La clé d'accès n'a pas été reconnue. Réessayez ou saisissez un code."
)


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def landing(account: Account, next_url: str) -> str:
    if next_url:
        return next_url
    if account.is_agent:
        return reverse("backoffice:home")
    return reverse("space:dashboard")


def code_notice(has_totp: bool) -> str:
    example = recovery_codes.display("ABCD" * 3)
    if has_totp:
        return gettext(
            "Le code à 6 chiffres affiché par votre application d'authentification, ou l'un de "
            "vos codes de secours (ex. : {example})."
        ).format(example=example)
    return gettext("L'un de vos codes de secours (ex. : {example}).").format(example=example)


def check_answer(request: HttpRequest, account: Account, form: VerifyForm) -> LoginOutcome:
    """The factor typed or presented in a valid ``form``, counted in the login's lockout; a wrong
    answer (not yet a lockout) is put beside its field."""
    outcome = login.check_second_factor(
        request=request, account=account, verify=lambda: verify_answer(request, account, form)
    )
    if outcome.account is None and outcome.retry_at is None:
        field = "code" if form.cleaned_data["code"] else None
        form.add_error(field, outcome.error if field else gettext(PASSKEY_FAILED))
    return outcome


def verify_answer(request: HttpRequest, account: Account, form: VerifyForm) -> bool:
    credential = form.cleaned_data["credential"]
    if credential:
        try:
            passkey = Passkey.objects.filter(
                account=account, credential_id=passkeys.credential_id_of(credential)
            ).first()
            if passkey is None:
                return False
            sign_count = passkeys.verify_authentication(request, credential, passkey=passkey)
        except passkeys.PasskeyError:
            return False
        services.record_passkey_use(passkey=passkey, sign_count=sign_count)
        return True
    code = form.cleaned_data["code"]
    if totp.looks_like_code(code):
        return services.verify_totp(account=account, code=code) is not None
    return services.use_recovery_code(
        account=account, code=code, audit=AuditContext.from_request(request)
    )


@sensitive_post_parameters("code", "credential")
@csrf_protect
@never_cache
@password_change_not_required
@second_factor_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    account = login.pending_account(request)
    if account is None:
        messages.info(request, gettext(EXPIRED))
        return redirect("accounts:login")
    factors = selectors.factors_of(account)
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            outcome = check_answer(request, account, form)
            if outcome.account is not None:
                login.clear(request)
                open_session(request, outcome.account)
                if outcome.account.must_change_password:
                    return redirect("accounts:password_change")
                next_url = _safe_next(request, form.cleaned_data["next"])
                return HttpResponseRedirect(landing(outcome.account, next_url))
            if outcome.retry_at is not None:
                login.clear(request)
                messages.error(request, outcome.error)
                return redirect("accounts:login")
    else:
        form = VerifyForm(initial={"next": _safe_next(request, request.GET.get("next", ""))})
    form.fields["code"].notice = code_notice(bool(factors.totp_devices))  # type: ignore[attr-defined]
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "account_login": account.login,
            "has_passkeys": bool(factors.passkeys),
            "heading": gettext("Vérification en deux étapes"),
            "intro": gettext(
                "Votre mot de passe est correct. Pour terminer la connexion de {login}, prouvez "
                "qu'il s'agit bien de vous."
            ).format(login=account.login),
            "action_url": reverse("mfa:verify"),
            "options_url": reverse("mfa:verify_passkey_options"),
            "back_url": reverse("accounts:login"),
            "back_label": gettext("Revenir à la connexion"),
        },
    )


@csrf_protect
@never_cache
@password_change_not_required
@second_factor_not_required
@require_POST
def verify_passkey_options(request: HttpRequest) -> HttpResponse:
    """The WebAuthn request options of the pending account's passkeys (JSON)."""
    account = login.pending_account(request)
    if account is None:
        return JsonResponse({"error": gettext(EXPIRED)}, status=403)
    options = passkeys.authentication_options(
        request, passkeys=list(Passkey.objects.filter(account=account))
    )
    return HttpResponse(options, content_type="application/json")
