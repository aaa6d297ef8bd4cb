"""Agents (and employers when the operator requires it) without a second factor are sent to
enrolment and reach nothing else: a gate middleware plus an explicit opt-out, after the forced
password change (apart.accounts.middleware)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apart.accounts.middleware import PASSWORD_CHANGE_OPT_OUT
from apart.accounts.models import Account
from apart.core.middleware import GateMiddleware, ViewFunc, opt_out
from apart.mfa import selectors

ENROLLED = "apart_mfa_enrolled"
# Views of other apps an agent without a factor needs on the way to enrolment.
_ENROLMENT_PATH = {"accounts:reauth"}
SECOND_FACTOR_OPT_OUT = "second_factor_not_required"


def second_factor_not_required(view: ViewFunc) -> ViewFunc:
    """Opt a view out of the enrolment gate (the enrolment pages themselves)."""
    return opt_out(view, SECOND_FACTOR_OPT_OUT)


class SecondFactorGateMiddleware(GateMiddleware):
    # The forced password change and logout stay reachable (their own opt-out).
    opt_out_marks = (PASSWORD_CHANGE_OPT_OUT, SECOND_FACTOR_OPT_OUT)

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, Account) or request.session.get(ENROLLED):
            return None
        # « Confirmez votre identité » (apart.accounts) precedes every enrolment step.
        match = request.resolver_match
        if match is not None and match.view_name in _ENROLMENT_PATH:
            return None
        if not selectors.factor_required(user):
            return None
        if selectors.has_factor(user):
            # Removing the last factor is refused while one is required, and a helpdesk reset
            # ends every session: the mark stays true for the session's life.
            request.session[ENROLLED] = True
            return None
        return redirect("mfa:manage")
