"""Agents (and employers when the operator requires it) without a second factor are sent to
enrolment and reach nothing else: a gate middleware plus an explicit opt-out, after the forced
password change (apart.accounts.middleware)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apart.accounts.models import Account
from apart.mfa import selectors

ENROLLED = "apart_mfa_enrolled"
# Views of other apps an agent without a factor needs on the way to enrolment.
_ENROLMENT_PATH = {"accounts:reauth"}

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def second_factor_not_required(view: ViewFunc) -> ViewFunc:
    """Opt a view out of the enrolment gate (the enrolment pages themselves)."""
    view.second_factor_not_required = True  # type: ignore[attr-defined]
    return view


class SecondFactorGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, Account) or request.session.get(ENROLLED):
            return None
        # The forced password change and logout stay reachable (their own opt-out).
        if getattr(view_func, "password_change_not_required", False) or getattr(
            view_func, "second_factor_not_required", False
        ):
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
