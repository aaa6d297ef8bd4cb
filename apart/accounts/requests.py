"""The logged-in account, typed, and the one way views get it."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from apart.accounts.models import Account


class AuthenticatedRequest(HttpRequest):
    """For view annotations: a request that the login decorators let through."""

    user: Account


def current_account(request: HttpRequest) -> Account:
    """The account of the person logged in. Anything else answers 404, the same answer as for a
    page that is not yours, so that nothing tells whether a thing exists."""
    if not isinstance(request.user, Account) or not request.user.is_authenticated:
        raise Http404
    return request.user
