"""Recovery of a forgotten password (guide, chapter 3) or login (chapter 4).

The rule that shapes every function here: whatever was typed, the journey looks the same. A value
that matches no account goes through the same pages, messages, database work and password
hashing as one that does; it simply never causes an email. Only the secret question differs (a
stable decoy, see decoys.py), which tells nothing to whoever does not already know the real one.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apart.accounts.authentication import unlock_login
from apart.accounts.models import Account
from apart.accounts.recovery import guards, selectors
from apart.accounts.recovery.journey import Flow, Journey
from apart.accounts.recovery.models import PasswordResetToken
from apart.accounts.services import change_password, check_secret_answer
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.core.normalize import fold
from apart.notifications.services import queue_email

_EMAILS = "recovery/emails/"


# Each journey's audit actions, spelled out so that a search for one finds where it is written.
_ACTIONS: dict[tuple[str, str], AuditAction] = {
    (Flow.PASSWORD, "requested"): AuditAction.RECOVERY_PASSWORD_REQUESTED,
    (Flow.PASSWORD, "answer_accepted"): AuditAction.RECOVERY_PASSWORD_ANSWER_ACCEPTED,
    (Flow.PASSWORD, "answer_failed"): AuditAction.RECOVERY_PASSWORD_ANSWER_FAILED,
    (Flow.PASSWORD, "locked"): AuditAction.RECOVERY_PASSWORD_LOCKED,
    (Flow.PASSWORD, "email_limited"): AuditAction.RECOVERY_PASSWORD_EMAIL_LIMITED,
    (Flow.LOGIN, "requested"): AuditAction.RECOVERY_LOGIN_REQUESTED,
    (Flow.LOGIN, "answer_accepted"): AuditAction.RECOVERY_LOGIN_ANSWER_ACCEPTED,
    (Flow.LOGIN, "answer_failed"): AuditAction.RECOVERY_LOGIN_ANSWER_FAILED,
    (Flow.LOGIN, "locked"): AuditAction.RECOVERY_LOGIN_LOCKED,
    (Flow.LOGIN, "email_limited"): AuditAction.RECOVERY_LOGIN_EMAIL_LIMITED,
}


class AnswerOutcome(enum.Enum):
    CORRECT = "correct"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    attempts_left: int = 0


class TokenInvalidError(Exception):
    """The reset link is unknown, used, replaced, expired, or the password changed since."""


def record_recovery_request(*, journey: Journey, audit: AuditContext = SYSTEM) -> None:
    """Step 1 of both journeys: audit what was asked (the same row whether or not it matches)."""
    account = selectors.recoverable_account(journey)
    record_event(
        action=_ACTIONS[journey.flow, "requested"],
        account=account,
        target=account,
        new={"saisie": journey.typed[:150]},
        reason="" if account is not None else "aucun compte ne correspond à la saisie",
        context=audit,
    )


def answer_secret_question(
    *, journey: Journey, answer: str, audit: AuditContext = SYSTEM
) -> AnswerResult:
    """Check the secret answer; when right, send the journey's email (reset link or login).

    Limits (see guards.py): attempts are counted before the answer is verified, per typed value
    then per account; the attempt that reaches APART_RECOVERY_MAX_ANSWER_FAILURES with a wrong
    answer locks recovery for APART_RECOVERY_LOCK_MINUTES and warns the account holder by email.
    """
    account = selectors.recoverable_account(journey)
    typed_guard = guards.typed_guard(flow=journey.flow, typed_key=journey.typed_key)
    owner_guard = guards.account_guard(
        account_pk=account.pk if account else None, typed_key=journey.typed_key
    )
    if typed_guard.is_locked():
        return AnswerResult(AnswerOutcome.LOCKED)
    typed_hit = typed_guard.count_attempt()
    if not typed_hit.allowed:
        return AnswerResult(AnswerOutcome.LOCKED)
    owner_hit = owner_guard.count_attempt()
    # An account locked through its other identifier (login vs email) is not verified, but the
    # page says "wrong answer": saying "locked" would link the two identifiers.
    may_verify = owner_hit.allowed and not owner_guard.is_locked()
    # Hash the answer in every case, with the same hasher: same time for known and unknown values.
    checked = account if (account is not None and may_verify) else Account(secret_answer_hash="")
    right = check_secret_answer(account=checked, answer=answer) and checked is account

    if right and account is not None:
        typed_guard.forget_attempts()
        owner_guard.forget_attempts()
        record_event(
            action=_ACTIONS[journey.flow, "answer_accepted"],
            account=account,
            target=account,
            context=audit,
        )
        _send_journey_email(journey=journey, account=account, audit=audit)
        return AnswerResult(AnswerOutcome.CORRECT)

    limit = settings.APART_RECOVERY_MAX_ANSWER_FAILURES
    locks_account = account is not None and owner_hit.count == limit
    locks_value = typed_hit.count == limit
    # Locks are counters too: set outside the transaction below, so that they hold even if it
    # rolls back.
    if locks_account:
        owner_guard.lock()
    if locks_value:
        typed_guard.lock()
    with transaction.atomic():
        record_event(
            action=_ACTIONS[journey.flow, "answer_failed"],
            account=account,
            target=account,
            outcome=AuditEvent.Outcome.FAILURE,
            new={"saisie": journey.typed[:150], "tentative": typed_hit.count},
            context=audit,
        )
        if locks_account and account is not None:
            _warn_account_of_lock(account=account, audit=audit)
        if locks_value:
            record_event(
                action=_ACTIONS[journey.flow, "locked"],
                account=account,
                target=account,
                outcome=AuditEvent.Outcome.FAILURE,
                new={"saisie": journey.typed[:150]},
                reason=f"{limit} réponses secrètes erronées",
                context=audit,
            )
    if typed_hit.count >= limit:
        return AnswerResult(AnswerOutcome.LOCKED)
    return AnswerResult(AnswerOutcome.WRONG, attempts_left=limit - typed_hit.count)


def send_recovery_email(*, journey: Journey, audit: AuditContext = SYSTEM) -> None:
    """Without the secret-question step (APART_RECOVERY_SECRET_QUESTION off): step 1 sends the
    journey's email straight away, to the mailbox of the account, if one matches."""
    account = selectors.recoverable_account(journey)
    if account is not None:
        _send_journey_email(journey=journey, account=account, audit=audit)


def _send_journey_email(*, journey: Journey, account: Account, audit: AuditContext) -> None:
    # Counted outside the transaction: a counted email stays counted even if the rest fails.
    if not guards.count_email(subject=f"account:{account.pk}"):
        record_event(
            action=_ACTIONS[journey.flow, "email_limited"],
            account=account,
            target=account,
            outcome=AuditEvent.Outcome.FAILURE,
            reason="trop de courriels de récupération dans l'heure",
            context=audit,
        )
        return
    with transaction.atomic():
        if journey.flow == Flow.PASSWORD:
            _send_reset_link(account=account, audit=audit)
        else:
            _send_login(account=account, audit=audit)


def _send_reset_link(*, account: Account, audit: AuditContext) -> None:
    raw = issue_reset_token(account=account, audit=audit)
    path = reverse("accounts:password_reset_link", kwargs={"token": raw})
    queue_email(
        to=account.email,
        template=_EMAILS + "password_reset",
        context={
            "reset_url": settings.APART_PUBLIC_URL.rstrip("/") + path,
            "minutes": settings.APART_RECOVERY_TOKEN_MINUTES,
        },
        account=account,
        sensitive=True,
        from_name="Agence de Services et de Paiement (Validation)",
    )


def _send_login(*, account: Account, audit: AuditContext) -> None:
    queue_email(
        to=account.email,
        template=_EMAILS + "login_reminder",
        context={"full_name": account.full_name, "login": account.login},
        account=account,
        sensitive=True,
    )
    record_event(
        action=AuditAction.RECOVERY_LOGIN_SENT, account=account, target=account, context=audit
    )


def _warn_account_of_lock(*, account: Account, audit: AuditContext) -> None:
    queue_email(
        to=account.email,
        template=_EMAILS + "recovery_locked",
        context={
            "attempts": settings.APART_RECOVERY_MAX_ANSWER_FAILURES,
            "minutes": settings.APART_RECOVERY_LOCK_MINUTES,
        },
        account=account,
    )
    record_event(
        action=AuditAction.RECOVERY_ACCOUNT_LOCKED,
        account=account,
        target=account,
        outcome=AuditEvent.Outcome.FAILURE,
        reason=f"{settings.APART_RECOVERY_MAX_ANSWER_FAILURES} réponses secrètes erronées",
        context=audit,
    )


def issue_reset_token(*, account: Account, audit: AuditContext = SYSTEM) -> str:
    """A new reset token for ``account``; returns it in clear (for the email only).

    secrets.token_urlsafe(32): 256 random bits. Only its SHA-256 is stored. Issuing voids the
    account's previous tokens (the database allows one open token per account).
    """
    now = timezone.now()
    with transaction.atomic():
        # Serialise the issuers of one account: the "one open token" constraint then never trips.
        locked = Account.objects.select_for_update().get(pk=account.pk)
        PasswordResetToken.objects.filter(
            account=locked, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        raw = secrets.token_urlsafe(32)
        token = PasswordResetToken.objects.create(
            account=locked,
            token_hash=selectors.hash_token(raw),
            password_fingerprint=selectors.password_fingerprint(locked),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.APART_RECOVERY_TOKEN_MINUTES),
        )
        record_event(
            action=AuditAction.RECOVERY_TOKEN_ISSUED,
            account=locked,
            target=token,
            new={"expire_le": token.expires_at.isoformat()},
            context=audit,
        )
    return raw


def reset_password(*, token_hash: str, password: str, audit: AuditContext = SYSTEM) -> Account:
    """Set a new password through a reset token (already validated against the policy).

    Single use: the token row is locked and marked used in the same transaction. Afterwards every
    session of the account ends (Django checks on each request a hash that depends on the
    password hash; the accounts app keeps no other session list), the first-login change and the
    temporary password are cleared, login and recovery locks are lifted, and the account is told
    by email. Raises TokenInvalidError.
    """
    now = timezone.now()
    with transaction.atomic():
        token = PasswordResetToken.objects.select_for_update().filter(token_hash=token_hash).first()
        if token is None:
            raise TokenInvalidError
        account = Account.objects.select_for_update().get(pk=token.account_id)
        if selectors.usable_token(token_hash) is None:
            raise TokenInvalidError
        # The accounts app's password change: clears the first-login change and the temporary
        # password, and writes the "account.password_changed" audit row.
        change_password(account=account, new_password=password, audit=audit)
        token.used_at = now
        token.save(update_fields=["used_at"])
        record_event(
            action=AuditAction.RECOVERY_TOKEN_USED,
            actor=account,
            account=account,
            target=token,
            context=audit,
        )
        queue_email(
            to=account.email,
            template=_EMAILS + "password_changed",
            context={"login": account.login, "changed_at": now},
            account=account,
        )
    lift_locks(account)
    return account


def lift_locks(account: Account) -> None:
    """Lift the login lockout and the recovery locks of an account (after a password reset: the
    person just proved possession of the mailbox; or by the helpdesk, after its checks)."""
    unlock_login(account.login)
    guards.account_guard(account_pk=account.pk, typed_key="").clear()
    guards.typed_guard(flow=Flow.PASSWORD, typed_key=fold(account.login)).clear()
    guards.typed_guard(flow=Flow.LOGIN, typed_key=fold(account.email)).clear()
