"""« S'identifier avec ProConnect »: start, callback, link to a proven account, end of logout.

Every route answers 404 while APART_PROCONNECT_ISSUER is unset. Failures go back to the login
page with a French message (the password login stays offered) and an audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apart.accounts.authentication import attempt_login
from apart.accounts.forms import LoginForm
from apart.accounts.middleware import password_change_not_required
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.accounts.views import landing_url
from apart.audit.context import AuditContext
from apart.proconnect import client, services
from apart.proconnect import messages as texts
from apart.proconnect import session as state
from apart.proconnect.client import ProConnectFailure

View = Callable[..., HttpResponse]


def enabled_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not client.is_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _back_to_login(request: HttpRequest, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("accounts:login")


def _failed(request: HttpRequest, failure: ProConnectFailure) -> HttpResponse:
    services.record_failure(audit=AuditContext.from_request(request), reason=failure.reason)
    return _back_to_login(request, failure.message)


@enabled_only
@never_cache
@password_change_not_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """The button: off to the provider, with state, nonce and the PKCE challenge."""
    try:
        return client.authorization_redirect(
            request, redirect_uri=request.build_absolute_uri(reverse("proconnect:callback"))
        )
    except ProConnectFailure as failure:
        return _failed(request, failure)


@enabled_only
@never_cache
@password_change_not_required
@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: sign in, or prove the account, or create the space."""
    try:
        identity = client.complete(request)
    except ProConnectFailure as failure:
        return _failed(request, failure)
    outcome = services.sign_in(request=request, identity=identity)
    if outcome is not None:
        if outcome.second_step_url:
            # APART's own second factor is asked before the session opens (apart.mfa).
            state.forget_pending(request)
            state.remember_sign_in(request, id_token=identity.id_token, acr_value=identity.acr)
            return redirect(outcome.second_step_url)
        if outcome.account is None:
            return _back_to_login(request, outcome.error)
        state.forget_pending(request)
        state.remember_sign_in(request, id_token=identity.id_token, acr_value=identity.acr)
        if outcome.account.must_change_password:
            return redirect("accounts:password_change")
        return redirect(landing_url(outcome.account))
    state.remember_pending(request, identity.as_session())
    if identity.siret and identity.email and account_by_email(identity.email) is None:
        state.offer_siret(request, identity.siret)
        messages.info(request, gettext(texts.REGISTRATION_PREFILLED))
        return redirect("registration:details")
    return redirect("proconnect:link")


@enabled_only
@sensitive_post_parameters("password")
@never_cache
@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """« Associer votre identité ProConnect à votre compte »: the account's password, or a link
    sent to the account's address."""
    identity = state.pending_identity(request)
    if identity is None:
        return _back_to_login(request, gettext(texts.LINK_SESSION_EXPIRED))
    form = LoginForm()
    if request.method == "POST" and request.POST.get("proof") == "email":
        services.send_link_email(identity=identity, audit=AuditContext.from_request(request))
        state.forget_pending(request)
        messages.info(
            request,
            gettext(texts.LINK_EMAIL_SENT).format(
                email=identity.email, minutes=settings.APART_PROCONNECT_LINK_MINUTES
            ),
        )
        return redirect("accounts:login")
    if request.method == "POST":
        form = LoginForm(request.POST)
        if form.is_valid():
            outcome = attempt_login(
                request=request,
                login_typed=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
            )
            if outcome.account is not None:
                return _link_after_password(request, identity, outcome.account)
            if outcome.second_step_account is not None:
                # The account has a second factor: the password alone does not prove it. The
                # link waits for the second step, then for a confirmation in the open session
                # (otherwise a provider's own second factor would stand in for the account's).
                refused = services.agent_link_refusal(outcome.second_step_account, identity)
                if refused is not None:
                    services.record_failure(
                        audit=AuditContext.from_request(request),
                        reason=refused.reason,
                        account=outcome.second_step_account,
                        issuer=identity.issuer,
                        subject=identity.subject,
                    )
                    messages.error(request, refused.message)
                    return redirect(outcome.second_step_url)
                state.await_second_step(request, outcome.second_step_account.pk)
                finish = reverse("proconnect:finish_link")
                return redirect(f"{outcome.second_step_url}?{urlencode({'next': finish})}")
            form.add_error(None, outcome.error)
    return render(request, "proconnect/link.html", {"form": form, "identity": identity})


@enabled_only
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def finish_link(request: HttpRequest) -> HttpResponse:
    """After the password and the account's second factor: one button links the identity to the
    account now logged in (a GET writes nothing)."""
    identity = state.pending_identity(request)
    account = request.user
    if (
        identity is None
        or not isinstance(account, Account)
        or state.awaiting_second_step(request) != account.pk
    ):
        return _back_to_login(request, gettext(texts.LINK_SESSION_EXPIRED))
    if request.method == "POST":
        state.forget_awaiting(request)
        return _link_after_password(request, identity, account)
    return render(request, "proconnect/finish_link.html", {"identity": identity})


def _link_after_password(
    request: HttpRequest, identity: state.PendingIdentity, account: Account
) -> HttpResponse:
    state.forget_pending(request)
    audit = AuditContext.from_request(request)
    try:
        services.link_identity(
            account=account,
            identity=identity,
            proof=services.LinkProof.PASSWORD,
            audit=audit,
        )
    except services.LinkRefused as refused:
        services.record_failure(
            audit=audit,
            reason=refused.reason,
            account=account,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext(texts.LINKED).format(login=account.login))
    if account.must_change_password:
        return redirect("accounts:password_change")
    return redirect(landing_url(account))


@enabled_only
@never_cache
@password_change_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page with one button (a GET writes nothing)."""
    usable = services.usable_link_token(token)
    if usable is None:
        return render(request, "proconnect/confirm_link.html", {"token": None}, status=404)
    if request.method != "POST":
        return render(
            request, "proconnect/confirm_link.html", {"token": usable, "raw_token": token}
        )
    audit = AuditContext.from_request(request)
    try:
        linked = services.confirm_link(raw_token=token, audit=audit)
    except services.LinkRefused as refused:
        services.record_failure(
            audit=audit,
            reason=refused.reason,
            account=usable.account,
            issuer=usable.issuer,
            subject=usable.subject,
        )
        return _back_to_login(request, refused.message)
    messages.success(request, gettext(texts.LINK_CONFIRMED).format(login=linked.account.login))
    return redirect("accounts:login")


@enabled_only
@password_change_not_required
@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back after its end-session endpoint."""
    return redirect("core:home")


def end_session_redirect(request: HttpRequest) -> str | None:
    """The provider's end-session URL for a session opened through ProConnect (registered in
    APART_LOGOUT_REDIRECTS; called by the logout view before the session ends)."""
    id_token = request.session.get(state.ID_TOKEN_KEY)
    if not client.is_enabled() or not isinstance(id_token, str):
        return None
    return client.end_session_url(
        id_token=id_token,
        post_logout_redirect_uri=request.build_absolute_uri(reverse("proconnect:logged_out")),
        state=client.new_state(),
    )
