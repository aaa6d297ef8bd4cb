"""Access to the employer's space: logged in, an employer account (agents have the back office).

The first-login password gate (apart.accounts.middleware) runs before every view of the space;
the habilitation is checked at login (APART_LOGIN_CHECKS). Establishments are then filtered by
membership in each view (apart.establishments.access): another's establishment is a 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from apart.accounts.models import Account

View = TypeVar("View", bound=Callable[..., HttpResponse])


def employer_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(user, Account) or user.role != Account.Role.EMPLOYER:
            raise PermissionDenied("L'espace employeur est réservé aux comptes employeurs.")
        return view(request, *args, **kwargs)

    return never_cache(wrapper)  # type: ignore[return-value]
