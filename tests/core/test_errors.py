"""The one refusal type: beside its field in a form, or an alert on the same page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch, reverse

from apart.core.errors import (
    AlreadyDecided,
    UserError,
    UserErrorMiddleware,
    add_to_form,
    refusals_shown_on,
)


class _Form(forms.Form):
    siret = forms.CharField()


def _request(method: str, **headers: str) -> Any:
    request = getattr(RequestFactory(), method)("/gestion/demandes/7/?page=2", headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _refusing_view(request: Any) -> HttpResponse:
    raise AlreadyDecided("Une décision a déjà été prise sur cette demande.")


def test_the_refusal_goes_beside_its_field_and_keeps_what_was_typed() -> None:
    form = _Form({"siret": "123"})
    form.is_valid()
    add_to_form(form, UserError("Ce Siret est déjà inscrit.", field="siret"))
    assert form.errors["siret"] == ["Ce Siret est déjà inscrit."]
    assert form["siret"].value() == "123"


def test_a_refusal_without_a_known_field_goes_above_the_form() -> None:
    form = _Form({"siret": "123"})
    form.is_valid()
    add_to_form(form, UserError("Opération impossible.", field="no_such_field"))
    assert form.non_field_errors() == ["Opération impossible."]


def test_a_post_refused_comes_back_to_the_same_page_with_the_message() -> None:
    request = _request("post")
    middleware = UserErrorMiddleware(_refusing_view)
    response = middleware.process_exception(request, AlreadyDecided("Déjà décidé."))
    assert response is not None
    assert response.status_code == 302
    assert response["Location"] == "/gestion/demandes/7/?page=2"
    assert [str(m) for m in get_messages(request)] == ["Déjà décidé."]


def test_a_post_only_button_refused_comes_back_to_the_page_it_was_on() -> None:
    request = _request("post", referer="http://testserver/double-authentification/")
    response = UserErrorMiddleware(_refusing_view).process_exception(request, UserError("Non."))
    assert response is not None
    assert response["Location"] == "http://testserver/double-authentification/"


def test_a_post_only_button_without_referer_goes_to_the_page_its_view_names() -> None:
    view = refusals_shown_on("core:home")(_refusing_view)
    request = _request("post")
    request.resolver_match = ResolverMatch(view, (), {})
    response = UserErrorMiddleware(view).process_exception(request, UserError("Non."))
    assert response is not None
    assert response["Location"] == reverse("core:home")


def test_a_referer_of_another_site_is_not_followed() -> None:
    request = _request("post", referer="https://evil.example/phish")
    response = UserErrorMiddleware(_refusing_view).process_exception(request, UserError("Non."))
    assert response is not None
    assert response["Location"] == "/gestion/demandes/7/?page=2"


def test_a_read_or_another_exception_is_left_to_django() -> None:
    middleware = UserErrorMiddleware(_refusing_view)
    assert middleware.process_exception(_request("get"), UserError("x")) is None
    assert middleware.process_exception(_request("post"), ValueError("x")) is None


def test_already_decided_is_a_user_error() -> None:
    error = AlreadyDecided("Déjà décidé.")
    assert isinstance(error, UserError)
    assert error.message == "Déjà décidé." and error.field is None
