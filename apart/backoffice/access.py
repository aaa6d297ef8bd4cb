"""Agents' pages: login required (redirect to the login page), then the right role (403)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from apart.accounts.models import Account

Role = Account.Role
INSTRUCTION_ROLES = (Role.INSTRUCTOR, Role.ADMINISTRATOR)
ASSISTANCE_ROLES = (Role.ASSISTANCE, Role.ADMINISTRATOR)
AGENT_ROLES = (Role.INSTRUCTOR, Role.ASSISTANCE, Role.ADMINISTRATOR)

View = Callable[..., HttpResponse]


def _login_url() -> str:
    try:
        return reverse("accounts:login")
    except NoReverseMatch:
        return str(settings.LOGIN_URL)


def roles_required(*roles: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), _login_url())
            if not user.is_active or getattr(user, "role", None) not in roles:
                raise PermissionDenied("Accès réservé aux agents habilités.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


instructor_required = roles_required(*INSTRUCTION_ROLES)
assistance_required = roles_required(*ASSISTANCE_ROLES)
agent_required = roles_required(*AGENT_ROLES)
