"""Recent authentication: sensitive changes need the current password, typed a short while ago.

A stolen session cookie must not be enough to change what recovers or pays an account (secret
question, email, phone, bank details, colleagues, main contact). The password typed on the page
``accounts:reauth`` (« Mot de passe actuel ») marks the session for
``APART_RECENT_AUTH_SECONDS`` (10 minutes by default). The login itself does not mark it: a
cookie stolen right after a login would otherwise pass. Wrong passwords count in the login's
own lockout (apart.accounts.authentication.verify_password).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from apart.accounts import drafts

RECENT_AUTH_AT = "apart_recent_auth_at"
RECENT_AUTH_ACCOUNT = "apart_recent_auth_account"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def _window() -> int:
    return int(getattr(settings, "APART_RECENT_AUTH_SECONDS", 600))


def has_recent_auth(request: HttpRequest) -> bool:
    """Whether the logged-in person proved the password within the window, in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = request.session
    if session.get(RECENT_AUTH_ACCOUNT) != user.pk:
        return False
    try:
        at = float(session.get(RECENT_AUTH_AT, 0))
    except (TypeError, ValueError):
        return False
    return 0 <= time.time() - at <= _window()


def mark_recent_auth(request: HttpRequest) -> None:
    """Record in the session that its holder has just proved the password (and, once issue 17
    is in, the second factor)."""
    request.session[RECENT_AUTH_AT] = time.time()
    request.session[RECENT_AUTH_ACCOUNT] = request.user.pk


def clear_recent_auth(request: HttpRequest) -> None:
    request.session.pop(RECENT_AUTH_AT, None)
    request.session.pop(RECENT_AUTH_ACCOUNT, None)


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` if it is a path of this site, else None."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return None


def return_path(request: HttpRequest) -> str:
    """Where to come back after the password: the page itself for a GET; for a POST (a button
    on another page), the page the form was on when it is of this site, else the same path."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("referer", "")
    if referer:
        parts = urlsplit(referer)
        if parts.netloc == request.get_host():
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if safe_next(request, path):
                return path
    return request.path


def reauth_url(request: HttpRequest, next_path: str | None = None) -> str:
    """The « Mot de passe actuel » page, coming back to ``next_path`` (default: this page, or
    for a POST the page its form was on)."""
    target = next_path or return_path(request)
    return f"{reverse('accounts:reauth')}?{urlencode({'next': target})}"


def reauth_redirect(request: HttpRequest, next_path: str | None = None) -> HttpResponse:
    """To « Mot de passe actuel », then back to ``next_path`` (see ``reauth_url``). A form sent
    when the window had closed is kept for this account and shown again on that page
    (apart.accounts.drafts): nothing typed is lost to the reauthentication."""
    target = next_path or return_path(request)
    if request.method == "POST" and request.user.is_authenticated:
        drafts.keep_draft(request, account_id=request.user.pk, path=target)
    return redirect(reauth_url(request, target))


ReturnTo = Callable[..., str]


def recent_auth_required(view: ViewFunc | None = None, *, return_to: ReturnTo | None = None) -> Any:
    """Send a logged-in person without a recent authentication to « Mot de passe actuel », then
    back; anonymous visitors go to the login page. Bare (``@recent_auth_required``) or with
    ``return_to=lambda request, **view_kwargs: path`` for a POST-only view (a button on another
    page): the page to come back to when the browser sent no usable Referer."""

    def decorate(func: ViewFunc) -> ViewFunc:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_recent_auth(request):
                next_path = None
                if return_to is not None and request.method not in ("GET", "HEAD"):
                    next_path = return_to(request, *args, **kwargs)
                return reauth_redirect(request, next_path)
            return func(request, *args, **kwargs)

        return cast(ViewFunc, wrapper)

    if view is not None:
        return decorate(view)
    return decorate
