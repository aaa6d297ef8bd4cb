"""The current establishment, chosen by the person among theirs and kept in the session."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.establishments.selectors import establishments_of

SESSION_KEY = "space_current_establishment"


def current_id(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, int) else None


def choose(request: HttpRequest, establishment: Establishment) -> None:
    request.session[SESSION_KEY] = establishment.pk


def lazy_current(request: HttpRequest) -> Any:
    """For the menu of every page: read only if the template shows it (one query)."""

    def load() -> Establishment | None:
        user = request.user
        if not isinstance(user, Account) or user.role != Account.Role.EMPLOYER:
            return None  # agents and visitors have no current establishment
        establishments = establishments_of(user).only("id", "denomination")
        chosen = current_id(request)
        found = establishments.filter(pk=chosen).first() if chosen is not None else None
        return found or establishments.first()

    return SimpleLazyObject(load)
