"""What the changes of habilitations share: their refusals, the status history with its audit
row, the row lock that lets one agent win, the rule that nobody decides his own request."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.services import record_event
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided, UserError
from apart.habilitations.dates import paris_today
from apart.habilitations.gate import login_refusal
from apart.habilitations.models import Habilitation, HabilitationEvent

# Another agent decided the request first (or its status changed meanwhile).
ALREADY_DECIDED = gettext_noop("Cette demande a déjà été traitée par un autre agent.")


class HabilitationError(UserError):
    """A change of a habilitation refused by a business rule."""


class HabilitationAlreadyLive(HabilitationError):
    """The account already has a pending or active habilitation to that application."""

    def __init__(self, habilitation: Habilitation) -> None:
        super().__init__(
            "Ce compte a déjà une habilitation en cours pour l'application "
            f"{habilitation.application.name}."
        )
        self.habilitation = habilitation


def _snapshot(habilitation: Habilitation) -> dict[str, Any]:
    return {
        "status": habilitation.status,
        "start_date": habilitation.start_date.isoformat() if habilitation.start_date else None,
        "end_date": habilitation.end_date.isoformat() if habilitation.end_date else None,
    }


def _log(
    habilitation: Habilitation,
    *,
    action: AuditAction,
    before: dict[str, Any],
    actor: Account | None,
    audit: AuditContext,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Status history + audit row for one change (call inside the change's transaction)."""
    HabilitationEvent.objects.create(
        habilitation=habilitation,
        actor=actor if getattr(actor, "pk", None) else None,
        old_status=before.get("status") or "",
        new_status=habilitation.status,
        start_date=habilitation.start_date,
        end_date=habilitation.end_date,
        reason=reason,
    )
    record_event(
        action=action,
        actor=actor,
        account=habilitation.account,
        target=habilitation,
        old=before,
        new={**_snapshot(habilitation), **(extra or {})},
        reason=reason,
        context=audit,
    )


def refuse_own_decision(*, actor: Account, account: Account | int) -> None:
    """Nobody decides on a request of his own (an agent holding an employer habilitation)."""
    if concerns(actor, getattr(account, "pk", account)):
        raise HabilitationError(OWN_DECISION)


def _locked(habilitation: Habilitation, *statuses: str) -> Habilitation:
    """The habilitation's current row, locked until the transaction ends, if its status is one of
    ``statuses``; else AlreadyDecided. Two agents deciding at once: the second waits for the lock,
    then sees the first one's decision and is told so."""
    current = (
        Habilitation.objects.select_for_update()
        .select_related("application", "account")
        .get(pk=habilitation.pk)
    )
    if current.status not in statuses:
        raise AlreadyDecided(gettext(ALREADY_DECIDED))
    return current


def _end_sessions_if_shut_out(habilitation: Habilitation) -> None:
    """After a decision that takes access away: if the holder may no longer log in (the login
    gate refuses), every open session of the account ends now, not at its timeout."""
    account = habilitation.account
    if login_refusal(account):
        end_sessions(account=account)


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if end <= start:
        raise HabilitationError(
            gettext("La date de fin doit être postérieure à la date de début."), field="end_date"
        )
    if end <= paris_today():
        raise HabilitationError(
            gettext("La date de fin doit être postérieure à aujourd'hui."), field="end_date"
        )


def default_period(
    habilitation: Habilitation, *, start: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """Start today (Europe/Paris) by default, end after the application's validity (one year)."""
    start = start or paris_today()
    return start, start + habilitation.application.default_validity
