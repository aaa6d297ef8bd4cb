"""« Confirmez votre identité », second part: after the password, the factor (code, recovery
code or passkey); only then is the recent authentication marked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from apart.accounts.authentication import log_out
from apart.accounts.reauth import mark_recent_auth, safe_next
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.mfa import passkeys, reauth, selectors
from apart.mfa.forms import VerifyForm
from apart.mfa.middleware import second_factor_not_required
from apart.mfa.models import Passkey
from apart.mfa.views.verify import check_answer, code_notice, landing


def _restart(request: HttpRequest) -> HttpResponse:
    next_path = safe_next(request, request.GET.get("next") or request.POST.get("next"))
    url = reverse("accounts:reauth")
    return redirect(f"{url}?next={next_path}" if next_path else url)


@sensitive_post_parameters("code", "credential")
@never_cache
@second_factor_not_required
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reauth_verify(request: AuthenticatedRequest) -> HttpResponse:
    account = current_account(request)
    if not reauth.password_proven(request, account):
        return _restart(request)
    factors = selectors.factors_of(account)
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            outcome = check_answer(request, account, form)
            if outcome.account is not None:
                reauth.clear(request)
                mark_recent_auth(request)
                target = safe_next(request, form.cleaned_data["next"])
                return HttpResponseRedirect(target or landing(account, ""))
            if outcome.retry_at is not None:
                log_out(request)
                messages.error(request, outcome.error)
                return redirect("accounts:login")
    else:
        form = VerifyForm(initial={"next": safe_next(request, request.GET.get("next")) or ""})
    form.fields["code"].notice = code_notice(bool(factors.totp_devices))  # type: ignore[attr-defined]
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "account_login": account.login,
            "has_passkeys": bool(factors.passkeys),
            "heading": gettext("Confirmez votre identité"),
            "intro": gettext(
                "Votre mot de passe est correct. Cette modification touche à la sécurité de "
                "votre compte : confirmez aussi avec votre double authentification."
            ),
            "action_url": reverse("mfa:reauth"),
            "options_url": reverse("mfa:reauth_passkey_options"),
            "back_url": landing(account, ""),
            "back_label": gettext("Annuler"),
        },
    )


@never_cache
@second_factor_not_required
@login_required
@require_POST
def reauth_passkey_options(request: AuthenticatedRequest) -> HttpResponse:
    account = current_account(request)
    if not reauth.password_proven(request, account):
        return JsonResponse({"error": "expired"}, status=403)
    options = passkeys.authentication_options(
        request, passkeys=list(Passkey.objects.filter(account=account))
    )
    return HttpResponse(options, content_type="application/json")
