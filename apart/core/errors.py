"""The one user-facing refusal type, and the one place that shows it when a view lets it pass.

A service refuses a change by raising ``UserError`` (or a subclass) with the French sentence the
person acting reads. A view holding a form puts it next to the field (``add_to_form``) so that
nothing typed is lost; any other view lets it propagate, and ``UserErrorMiddleware`` shows it as an
alert on the page the person came from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

View = TypeVar("View", bound=Callable[..., Any])


class UserError(Exception):
    """A change refused by a rule. ``message`` is French, for the person acting; ``field`` names
    the form field it belongs beside (``None``: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyDecided(UserError):
    """Someone decided on this request first (row lock): the later decision is refused."""


def add_to_form(form: forms.BaseForm, error: UserError) -> None:
    """Show the refusal beside its field, or above the form, keeping what was typed."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def refusals_shown_on(url_name: str) -> Callable[[View], View]:
    """For a view whose URL answers POST only (a « Supprimer » button): the page its refusals
    go back to when the browser sent no Referer."""

    def mark(view: View) -> View:
        view.refusals_shown_on = url_name  # type: ignore[attr-defined]
        return view

    return mark


class UserErrorMiddleware:
    """A ``UserError`` a view did not handle becomes an error alert on the page the form was on:
    the Referer when it is a page of this site, else the page the view names with
    ``refusals_shown_on`` (a button whose URL answers POST only), else the same URL (GET).

    Only for requests that change something (POST): a refusal while reading would loop."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UserError) or request.method != "POST":
            return None
        messages.error(request, exception.message)
        return HttpResponseRedirect(_page_of_the_form(request))


def _page_of_the_form(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    match = request.resolver_match
    url_name = getattr(match.func, "refusals_shown_on", None) if match is not None else None
    return reverse(url_name) if url_name else request.get_full_path()
