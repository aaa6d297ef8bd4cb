"""The second factor in the recent authentication (« Confirmez votre identité »): for an account
with a factor, the password alone does not mark the session; after it, the factor is asked on
mfa:reauth, which then calls apart.accounts.reauth.mark_recent_auth. The right password does not
clear the login's guess counter then (the factor's success does), as at the login.

settings.APART_REAUTH_SECOND_STEP points at SECOND_STEP (used by apart.accounts.views.reauth).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from apart.accounts.models import Account
from apart.mfa import selectors

PASSWORD_PROVEN = "apart_mfa_reauth_password"  # noqa: S105 (a session key name)


class ReauthSecondStep:
    def needed(self, account: Account) -> bool:
        return selectors.has_factor(account)

    def begin(self, request: HttpRequest, account: Account, next_path: str) -> str:
        """Remember that the password was just proven; the URL of the factor's page."""
        request.session[PASSWORD_PROVEN] = {"account": account.pk, "at": time.time()}
        url = reverse("mfa:reauth")
        return f"{url}?{urlencode({'next': next_path})}" if next_path else url


SECOND_STEP = ReauthSecondStep()


def password_proven(request: HttpRequest, account: Account) -> bool:
    mark = request.session.get(PASSWORD_PROVEN)
    if not isinstance(mark, dict) or mark.get("account") != account.pk:
        return False
    return 0 <= time.time() - float(mark.get("at", 0)) <= settings.APART_MFA_PENDING_SECONDS


def clear(request: HttpRequest) -> None:
    request.session.pop(PASSWORD_PROVEN, None)
