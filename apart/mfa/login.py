"""The login's second step: between the right password and the second factor, the session holds
only a « pending » mark (which account, since when, for which password), never a login.

settings.APART_LOGIN_SECOND_STEP points at second_step(): apart.accounts.authentication calls it
once the password and every login check passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from apart.accounts.authentication import (
    LoginOutcome,
    claim_guess,
    guess_failed,
    guess_succeeded,
)
from apart.accounts.models import Account
from apart.mfa import selectors

PENDING = "apart_mfa_pending"


def second_step(request: HttpRequest, account: Account) -> str | None:
    """The URL of the second step when the account has a factor (and the pending mark set)."""
    if not selectors.has_factor(account):
        return None
    # A new session key: whoever planted or saw the previous cookie holds nothing.
    request.session.cycle_key()
    request.session[PENDING] = {
        "account": account.pk,
        "at": time.time(),
        "hash": account.get_session_auth_hash(),
    }
    return reverse("mfa:verify")


def pending_account(request: HttpRequest) -> Account | None:
    """The account waiting for its second factor in this session, if the mark is fresh and the
    password has not changed since."""
    mark = request.session.get(PENDING)
    if not isinstance(mark, dict):
        return None
    if time.time() - float(mark.get("at", 0)) > settings.APART_MFA_PENDING_SECONDS:
        clear(request)
        return None
    account_id = mark.get("account")
    if not isinstance(account_id, int):
        clear(request)
        return None
    account = Account.objects.filter(pk=account_id, is_active=True).first()
    if account is None or account.get_session_auth_hash() != mark.get("hash"):
        clear(request)
        return None
    return account


def clear(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


BAD_CODE = gettext_noop("Code incorrect ou déjà utilisé.")


def check_second_factor(
    *, request: HttpRequest, account: Account, verify: Callable[[], bool]
) -> LoginOutcome:
    """Check a second-factor proof as one guess of the login's own counter (the password's):
    ``verify`` runs only when the login is neither locked nor over its guesses. Opens no
    session (the login's second step and the reauthentication page decide what follows)."""
    guess = claim_guess(request=request, login=account.login)
    if guess.refusal is not None:
        return guess.refusal
    if not verify():
        return guess_failed(
            request=request, guess=guess, message=gettext(BAD_CODE), reason="bad_second_factor"
        )
    guess_succeeded(guess=guess)
    return LoginOutcome(account=account)
