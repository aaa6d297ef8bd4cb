"""Helpdesk actions (assistance role). Each one records what the agent checked before acting
(required) in the audit row, in the same transaction as the change. No agent ever sees or sets a
password or a secret answer."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from apart.accounts import authentication, freezing
from apart.accounts.emails import queue_login_email
from apart.accounts.models import Account
from apart.accounts.recovery.services import lift_locks
from apart.accounts.services import check_secret_answer
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.core.errors import UserError
from apart.mfa import services as mfa_services


class HelpdeskError(UserError):
    """A helpdesk action refused (an agent's account, checks not described, ...)."""


def _employer(account: Account, checks: str) -> None:
    if account.is_agent:
        raise HelpdeskError(gettext("Les comptes des agents ne se gèrent pas depuis l'assistance."))
    if not checks.strip():
        raise HelpdeskError(gettext("Décrivez les vérifications effectuées."), field="checks")


def lock_state(account: Account) -> Any:
    """When the account's login is locked after failed attempts: the retry time, else None."""
    return authentication.locked_until(account.login)


def resend_login_email(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Queue the "Identifiant de connexion" email again (the login only, never a password)."""
    _employer(account, checks)
    with transaction.atomic():
        queue_login_email(account=account)
        record_event(
            action=AuditAction.HELPDESK_LOGIN_EMAIL_RESENT,
            actor=actor,
            account=account,
            target=account,
            reason=checks.strip(),
            context=audit,
        )


def unlock_account(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Lift the lock after too many failed logins, and the secret-answer lock of recovery."""
    _employer(account, checks)
    locked_until = lock_state(account)
    with transaction.atomic():
        lift_locks(account)
        record_event(
            action=AuditAction.HELPDESK_ACCOUNT_UNLOCKED,
            actor=actor,
            account=account,
            target=account,
            old={"locked_until": locked_until.isoformat() if locked_until else None},
            new={"locked_until": None},
            reason=checks.strip(),
            context=audit,
        )


def reset_secret_question(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Remove the secret question and answer: the holder sets new ones at the next login (an
    account without a secret question is asked for one; imported accounts start that way too).
    The audit row says that a question existed, never what it or its answer was."""
    _employer(account, checks)
    with transaction.atomic():
        had_question = bool(account.secret_question)
        account.secret_question = ""
        account.secret_answer_hash = ""
        account.save(update_fields=["secret_question", "secret_answer_hash", "updated_at"])
        record_event(
            action=AuditAction.HELPDESK_SECRET_QUESTION_RESET,
            actor=actor,
            account=account,
            target=account,
            old={"secret_question_set": had_question},
            new={"secret_question_set": False},
            reason=checks.strip(),
            context=audit,
        )


def freeze_account(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Freeze the account at its holder's request by phone (a takeover reported): every session
    ends, logins are refused until an unfreeze."""
    _employer(account, checks)
    if account.frozen_at is not None:
        raise HelpdeskError(gettext("Ce compte est déjà bloqué."))
    freezing.freeze_account(
        account=account,
        reason=f"Assistance : {checks.strip()}",
        actor=actor,
        audit=audit,
    )


def unfreeze_account(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Lift a freeze (« Ce n'était pas moi ? »), once the caller's identity is checked."""
    _employer(account, checks)
    if account.frozen_at is None:
        raise HelpdeskError(gettext("Ce compte n'est pas bloqué."))
    freezing.unfreeze_account(account=account, actor=actor, checks=checks, audit=audit)


def reset_second_factor(
    *,
    account: Account,
    actor: Account,
    questions: Sequence[str],
    matched: Sequence[str],
    secret_answer: str,
    checks: str,
    audit: AuditContext = SYSTEM,
) -> None:
    """Remove every second factor and recovery code of an account that lost them, after an
    identity check whose questions and matching answers are recorded (ASVS 6.4.4).

    The secret answer, when asked, is compared by the system (the agent never sees the stored
    one). Every asked question must match, else nothing changes and the refusal is audited. An
    agent's account is reset by an administrator only, never by its holder. The holder is
    emailed and every session of the account ends."""
    if account.is_agent and (actor.role != Account.Role.ADMINISTRATOR or actor.pk == account.pk):
        raise HelpdeskError(
            gettext(
                "La double authentification d'un agent est réinitialisée par un administrateur."
            )
        )
    if not checks.strip():
        raise HelpdeskError(gettext("Décrivez les vérifications effectuées."), field="checks")
    matched = [name for name in matched if name in questions and name != "secret_question"]
    if "secret_question" in questions and check_secret_answer(
        account=account, answer=secret_answer
    ):
        matched.append("secret_question")
    try:
        mfa_services.reset_factors(
            account=account,
            actor=actor,
            questions=list(questions),
            matched=matched,
            notes=checks,
            audit=audit,
        )
    except mfa_services.MfaError as error:
        record_event(
            action=AuditAction.MFA_FACTORS_RESET_REFUSED,
            actor=actor,
            account=account,
            target=account,
            outcome=AuditEvent.Outcome.FAILURE,
            new={"questions": list(questions), "matched": matched},
            reason=checks.strip(),
            context=audit,
        )
        raise HelpdeskError(error.message) from error
    end_sessions(account=account)
