"""Security headers that Django's SecurityMiddleware does not set."""

import secrets
from collections.abc import Callable

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
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
