"""Who may open a page: logged in (else the login page), then the right kind of account (403).

The employer's pages (space, establishments, DAP, DI) take ``employer_required``; the agents'
pages (back office, agent decisions, fraud examination) take one of the role decorators. The
first-login password gate (apart.accounts.middleware) runs before every view; the habilitation
is checked at login (APART_LOGIN_CHECKS). Establishments are then filtered by membership in each
view (apart.establishments.selectors): another's establishment is a 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from apart.accounts.models import Account

Role = Account.Role
INSTRUCTION_ROLES = (Role.INSTRUCTOR, Role.ADMINISTRATOR)
ASSISTANCE_ROLES = (Role.ASSISTANCE, Role.ADMINISTRATOR)
AGENT_ROLES = (Role.INSTRUCTOR, Role.ASSISTANCE, Role.ADMINISTRATOR)

View = Callable[..., HttpResponse]
AnyView = TypeVar("AnyView", bound=Callable[..., HttpResponse])


def employer_required(view: AnyView) -> AnyView:
    """The employer's space: an employer account (agents have the back office)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(user, Account) or user.role != Account.Role.EMPLOYER:
            raise PermissionDenied("L'espace employeur est réservé aux comptes employeurs.")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)  # type: ignore[return-value]


def _login_url() -> str:
    try:
        return reverse("accounts:login")
    except NoReverseMatch:
        return str(settings.LOGIN_URL)


def roles_required(*roles: str) -> Callable[[View], View]:
    """Agents' pages: an active account with one of ``roles``."""

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
