"""« Double authentification »: the holder's own page (employers from « Mon compte », agents from
the back office) to add and remove factors and renew recovery codes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.reauth import has_recent_auth, recent_auth_required
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.audit.context import AuditContext
from apart.core.errors import UserError, add_to_form, refusals_shown_on
from apart.mfa import passkeys, selectors, services, totp
from apart.mfa.forms import PasskeyEnrolForm, TotpEnrolForm
from apart.mfa.middleware import ENROLLED, second_factor_not_required
from apart.mfa.models import Passkey, TotpDevice

TOTP_SECRET = "apart_mfa_totp_secret"  # noqa: S105 (a session key name)
TOTP_ADDED = gettext_noop("L'application d'authentification « {name} » est enregistrée.")
PASSKEY_ADDED = gettext_noop("La clé d'accès « {name} » est enregistrée.")
REMOVED = gettext_noop("« {name} » est supprimé de vos moyens de double authentification.")
PASSKEY_FAILED = gettext_noop(
    "La clé d'accès n'a pas pu être enregistrée (opération annulée ou refusée par l'appareil). "
    "Réessayez."
)


def _page(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    account = current_account(request)
    return render(
        request,
        template,
        {
            "back_url_name": "backoffice:home" if account.is_agent else "space:my_account",
            "factor_required": selectors.factor_required(account),
            **context,
        },
    )


def _enrolled(request: HttpRequest, codes: list[str], done: str) -> HttpResponse:
    """After an enrolment: the recovery codes, once, when they were just made; else the list."""
    request.session[ENROLLED] = True
    messages.success(request, done)
    if codes:
        return _page(request, "mfa/recovery_codes.html", {"codes": codes})
    return redirect("mfa:manage")


@never_cache
@second_factor_not_required
@login_required
@require_safe
def manage(request: AuthenticatedRequest) -> HttpResponse:
    account = current_account(request)
    return _page(
        request,
        "mfa/manage.html",
        {
            "factors": selectors.factors_of(account),
            "passkey_form": PasskeyEnrolForm(),
            # Changes need « Confirmez votre identité » first: offered before the forms.
            "recent_auth": has_recent_auth(request),
            "reauth_url": f"{reverse('accounts:reauth')}?{urlencode({'next': request.path})}",
        },
    )


@sensitive_post_parameters("code")
@never_cache
@second_factor_not_required
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@recent_auth_required
def add_totp(request: AuthenticatedRequest) -> HttpResponse:
    """Scan the QR code (or type the key), then prove it with one code."""
    account = current_account(request)
    secret = request.session.get(TOTP_SECRET)
    if not isinstance(secret, str):
        secret = totp.new_secret()
        request.session[TOTP_SECRET] = secret
    if request.method == "POST":
        form = TotpEnrolForm(request.POST)
        if form.is_valid():
            name = form.cleaned_data["name"].strip()
            try:
                codes = services.add_totp_device(
                    account=account,
                    name=name,
                    secret=secret,
                    code=form.cleaned_data["code"],
                    audit=AuditContext.from_request(request),
                )
            except UserError as error:
                add_to_form(form, error)
            else:
                request.session.pop(TOTP_SECRET, None)
                return _enrolled(request, codes, gettext(TOTP_ADDED).format(name=name))
    else:
        form = TotpEnrolForm()
    uri = totp.provisioning_uri(secret, login=account.login)
    return _page(
        request,
        "mfa/add_totp.html",
        {
            "form": form,
            "qr_svg": totp.qr_svg(uri, title=gettext("QR code à scanner avec votre application")),
            "secret_grouped": totp.grouped(secret),
        },
    )


@never_cache
@second_factor_not_required
@login_required
@require_POST
@recent_auth_required
def passkey_options(request: AuthenticatedRequest) -> HttpResponse:
    """The WebAuthn creation options (JSON) for a new passkey of the logged-in account."""
    account = current_account(request)
    options = passkeys.registration_options(
        request, account=account, existing=list(Passkey.objects.filter(account=account))
    )
    return HttpResponse(options, content_type="application/json")


@never_cache
@second_factor_not_required
@login_required
@require_POST
@recent_auth_required
def add_passkey(request: AuthenticatedRequest) -> HttpResponse:
    account = current_account(request)
    form = PasskeyEnrolForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"].strip()
        try:
            credential = passkeys.verify_registration(request, form.cleaned_data["credential"])
            codes = services.add_passkey(
                account=account,
                name=name,
                credential=credential,
                audit=AuditContext.from_request(request),
            )
        except passkeys.PasskeyError:
            form.add_error("name", gettext(PASSKEY_FAILED))
        except UserError as error:
            add_to_form(form, error)
        else:
            return _enrolled(request, codes, gettext(PASSKEY_ADDED).format(name=name))
    return _page(
        request,
        "mfa/manage.html",
        {
            "factors": selectors.factors_of(account),
            "passkey_form": form,
            "recent_auth": True,
            "reauth_url": "",
        },
    )


@refusals_shown_on("mfa:manage")
@never_cache
@second_factor_not_required
@login_required
@require_POST
@recent_auth_required
def remove(request: AuthenticatedRequest, kind: str, pk: int) -> HttpResponse:
    account = current_account(request)
    factor: TotpDevice | Passkey | None = None
    if kind == "application":
        factor = TotpDevice.objects.filter(account=account, pk=pk).first()
    elif kind == "cle":
        factor = Passkey.objects.filter(account=account, pk=pk).first()
    if factor is None:
        raise Http404
    services.remove_factor(account=account, factor=factor, audit=AuditContext.from_request(request))
    messages.success(request, gettext(REMOVED).format(name=factor.name))
    return redirect("mfa:manage")


@refusals_shown_on("mfa:manage")
@never_cache
@second_factor_not_required
@login_required
@require_POST
@recent_auth_required
def regenerate_codes(request: AuthenticatedRequest) -> HttpResponse:
    codes = services.regenerate_recovery_codes(
        account=current_account(request), audit=AuditContext.from_request(request)
    )
    return _page(request, "mfa/recovery_codes.html", {"codes": codes})
