"""Session timeouts and the forced password change gate (a middleware plus an explicit opt-out)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from apart.accounts import drafts
from apart.accounts.authentication import (
    LAST_SEEN,
    LOCKED,
    SESSION_STARTED_AT,
    account_refusal,
    frozen_refusal,
    locked_until,
    paris_time,
)
from apart.accounts.models import Account
from apart.accounts.reauth import return_path
from apart.accounts.sessions import (
    access_recently_checked,
    forget_session,
    remember_access_checked,
)
from apart.core.forms.restore import begin_restoring, end_restoring, restored_values_shown
from apart.core.middleware import GateMiddleware, ViewFunc, opt_out

_LAST_SEEN_GRANULARITY = 60  # seconds: do not rewrite the session on every request
SESSION_EXPIRED = gettext_noop("Votre session a expiré. Veuillez vous reconnecter.")
DRAFT_KEPT = gettext_noop(
    "Ce que vous aviez saisi n'est pas perdu : reconnectez-vous pour le retrouver sur la page."
)

PASSWORD_CHANGE_OPT_OUT = "password_change_not_required"  # noqa: S105 (a view mark)


def password_change_not_required(view: ViewFunc) -> ViewFunc:
    """Opt a view out of the forced password change gate (the change page itself, logout...)."""
    return opt_out(view, PASSWORD_CHANGE_OPT_OUT)


class SessionTimeoutMiddleware:
    """Ends a session idle for SESSION_IDLE_TIMEOUT (30 min) or older than SESSION_COOKIE_AGE
    (12 h), whatever the cookie says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = float(session.get(SESSION_STARTED_AT, now))
            last_seen = float(session.get(LAST_SEEN, started))
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                return _expire(request)
            session.setdefault(SESSION_STARTED_AT, started)
            if now - last_seen >= _LAST_SEEN_GRANULARITY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


def _expire(request: HttpRequest) -> HttpResponse:
    """End the session; what a form sent just now holds is kept for the same account in the
    browser's new session (apart.accounts.drafts), and the login comes back to the page the
    form was on (a POST-only address would answer a GET with 405)."""
    account_id = request.user.pk
    assert account_id is not None  # noqa: S101 (only called for a logged-in person)
    back = return_path(request)
    previous = drafts.carry_over(request)
    logout(request)
    drafts.put_back(request, previous)
    messages.info(request, gettext(SESSION_EXPIRED))
    if drafts.keep_draft(request, account_id=account_id, path=back) or previous:
        messages.info(request, gettext(DRAFT_KEPT))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': back}, safe='/')}")


class FormDraftMiddleware:
    """Back on the page of a kept draft, as the same account: the page's empty forms start from
    it (apart.accounts.drafts, apart.core.forms.restore), and once its values were shown the
    draft is used up. Placed after the gates: a page they turn away does not see it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
            if restored_values_shown():
                drafts.discard(request)
            return response
        finally:
            end_restoring()

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if request.method in ("GET", "HEAD") and drafts.has_draft(request):
            fields = drafts.pending_fields(request)
            if fields:
                begin_restoring(fields)
        return None


class PasswordChangeGateMiddleware(GateMiddleware):
    """With a temporary password, only the password change page (and the opted-out views) can
    be reached (guide, « Première connexion »: « vous devrez changer votre mot de passe »).

    Then an employer without a secret question (reset by the assistance, or imported from a
    sibling extranet) must choose one: recovery cannot work without it."""

    opt_out_marks = (PASSWORD_CHANGE_OPT_OUT,)

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if getattr(user, "must_change_password", False):
            return redirect("accounts:password_change")
        if not getattr(user, "is_agent", True) and not getattr(user, "secret_question", ""):
            return redirect("accounts:secret_question_setup")
        return None


class AccountStateMiddleware:
    """Sessions follow the account's state: a frozen, locked, revoked or expired account (any
    refusal of apart.accounts.authentication.account_refusal) loses access at its next request,
    with the same French message as the login would give.

    Cost: the account row is loaded by the authentication middleware anyway (every request,
    apart.accounts.backends), so the freeze is checked on every request for free; the other
    checks (habilitation gate, login lock) run once per session and worker process every
    APART_ACCESS_CHECK_SECONDS (≤ 60 s), the verdict kept in process memory in between
    (apart.accounts.sessions: no round trip). Decisions also end the sessions at once
    (end_sessions), so the verdict only matters for what no decision announces (an end date
    that passes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, Account) and user.is_authenticated:
            refusal = _current_refusal(request, user)
            if refusal:
                forget_session(request.session.session_key)
                logout(request)
                messages.error(request, refusal)
                return redirect("accounts:login")
        return self.get_response(request)


def _current_refusal(request: HttpRequest, account: Account) -> str | None:
    frozen = frozen_refusal(account)
    if frozen:
        return frozen
    if access_recently_checked(request=request, account=account):
        return None
    until = locked_until(account.login)
    if until is not None:
        return gettext(LOCKED).format(until=paris_time(until))
    refusal = account_refusal(account)
    if refusal:
        return refusal
    remember_access_checked(request=request, account=account)
    return None
