"""View recipes shared by the apps: an agent's decision, and a change of an employer's draft.

Both only arrange what a page answers; the rules stay in the services, which refuse with a
``UserError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apart.core.errors import AlreadyDecided, UserError, add_to_form

T = TypeVar("T")


def agent_decision(
    request: HttpRequest,
    *,
    form: forms.BaseForm | None,
    decide: Callable[[], T],
    show: Callable[[], HttpResponse],
    back: str,
    then: str,
    done: str | Callable[[T], str],
    back_on: Mapping[type[UserError], str] | None = None,
) -> HttpResponse:
    """An agent decides on a request (approve, refuse, take, extend...) from its page.

    - the form is not valid: ``show`` the page again with its errors;
    - another agent decided first (``AlreadyDecided``), or a refusal listed in ``back_on``: back
      to the request's page (``back`` plus the fragment given) with the message, so that the
      page shows the state as it is now;
    - any other refusal: beside its field in the form (``show``), or, for a button without a
      form, back to the request's page with the message;
    - decided: the success message (``done``, or built from what ``decide`` returned), then
      ``then``.
    """
    if form is not None and not form.is_valid():
        return show()
    try:
        outcome = decide()
    except UserError as error:
        fragment = _fragment(error, back_on or {})
        if fragment is None and form is not None:
            add_to_form(form, error)
            return show()
        messages.error(request, error.message)
        return redirect(back + (fragment or ""))
    messages.success(request, done if isinstance(done, str) else done(outcome))
    return redirect(then)


def _fragment(error: UserError, back_on: Mapping[type[UserError], str]) -> str | None:
    """The fragment of the request's page to go back to, or None to stay on the form."""
    for kind, fragment in back_on.items():
        if isinstance(error, kind):
            return fragment
    return "" if isinstance(error, AlreadyDecided) else None


def unless_transmitted(
    request: HttpRequest, *, draft: bool, message: str, page: str
) -> HttpResponse | None:
    """An employer's change of a draft (DAP, DI) once it was transmitted: nothing is read from
    the form, the page shows why. None while it is a draft."""
    if draft:
        return None
    messages.error(request, message)
    return redirect(page)
