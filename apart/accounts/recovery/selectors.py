"""Reads of the recovery journeys."""

from __future__ import annotations

import hashlib

from apart.accounts.models import Account
from apart.accounts.recovery import guards
from apart.accounts.recovery.decoys import decoy_question, shown_question
from apart.accounts.recovery.guards import keyed_digest
from apart.accounts.recovery.journey import Flow, Journey
from apart.accounts.recovery.models import PasswordResetToken
from apart.accounts.selectors import account_by_email, account_by_login

_TOKEN_MAX_LENGTH = 100


def recoverable_account(journey: Journey) -> Account | None:
    """The active account matching what was typed at step 1 (login or email), if any."""
    if journey.flow == Flow.PASSWORD:
        account = account_by_login(journey.typed)
    else:
        account = account_by_email(journey.typed)
    if account is None or not account.is_active or not account.email:
        return None
    return account


def secret_question_for(journey: Journey) -> str:
    """The account's secret question (in its group's display form), or a stable decoy drawn
    from the same distribution when no account (or no question) fits (see decoys.py)."""
    account = recoverable_account(journey)
    if account is not None and account.secret_question:
        return shown_question(account.secret_question)
    return decoy_question(journey.typed_key)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def password_fingerprint(account: Account) -> str:
    return keyed_digest("password:" + account.password)


def usable_token(token_hash: str) -> PasswordResetToken | None:
    """The token with this hash if it can still reset a password: unused, newest of its account,
    not expired, and the account's password unchanged since it was issued."""
    token = (
        PasswordResetToken.objects.live()
        .select_related("account")
        .filter(token_hash=token_hash)
        .first()
    )
    if token is None or not token.account.is_active:
        return None
    if token.password_fingerprint != password_fingerprint(token.account):
        return None
    return token


def token_hash_from_link(raw: str) -> str | None:
    """The hash of a token taken from a link, or None when it cannot be one of ours."""
    if not raw or len(raw) > _TOKEN_MAX_LENGTH or not raw.isascii() or not raw.isprintable():
        return None
    return hash_token(raw)


def journey_is_locked(journey: Journey) -> bool:
    """Whether too many wrong answers were given for what was typed (whether or not it exists)."""
    return guards.typed_guard(flow=journey.flow, typed_key=journey.typed_key).is_locked()
