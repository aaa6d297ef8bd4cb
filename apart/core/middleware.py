"""Security headers that Django's SecurityMiddleware does not set, the language, and the shape
of the forced-step gates (a middleware plus an explicit opt-out on the views it lets through)."""

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Strict policy: no inline script or style; scripts carry the per-request nonce.
_CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'{form_action}; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        # A form may lead to another origin only through a redirect to an identity provider
        # (ProConnect's sign-in and end-session): those origins are listed in the setting.
        form_action = "".join(f" {source}" for source in settings.APART_CSP_FORM_ACTION)
        response.setdefault(
            "Content-Security-Policy", _CSP.format(nonce=nonce, form_action=form_action)
        )
        response.setdefault("Permissions-Policy", _PERMISSIONS_POLICY)
        return response


class CookieLocaleMiddleware:
    """French unless the user chose another language (the language cookie set by set_language).

    The browser's Accept-Language is ignored on purpose: this is a French public service whose
    guide, messages and emails are French; English is an explicit choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            # Back to French for whatever this thread renders next outside a request's language
            # (an error page raised before this middleware, a command, the next test).
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def opt_out(view: ViewFunc, mark: str) -> ViewFunc:
    """Mark a view as let through by the gates that honour ``mark``."""
    setattr(view, mark, True)
    return view


class GateMiddleware:
    """A forced step: a logged-in person reaches nothing but the step's pages until it is done.

    A view marked with one of ``opt_out_marks`` passes; for any other view of a logged-in
    person, ``gate`` answers where to go first, or ``None`` to let the view run."""

    opt_out_marks: tuple[str, ...] = ()

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
        if not request.user.is_authenticated:
            return None
        if any(getattr(view_func, mark, False) for mark in self.opt_out_marks):
            return None
        return self.gate(request)

    def gate(self, request: HttpRequest) -> HttpResponse | None:
        raise NotImplementedError
