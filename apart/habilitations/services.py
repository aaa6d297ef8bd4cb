"""Changes of state of habilitations. Each runs in one transaction, writes the status history
(HabilitationEvent) and an audit row, and queues its emails in that same transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apart.accounts.models import Account
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided, UserError
from apart.fraud import services as fraud
from apart.habilitations import emails
from apart.habilitations.dates import paris_today
from apart.habilitations.gate import login_refusal
from apart.habilitations.models import Application, Habilitation, HabilitationEvent

if TYPE_CHECKING:  # a type only: habilitations sit below establishments (docs/architecture.md)
    from apart.establishments.models import Establishment

# Another agent decided the request first (or its status changed meanwhile).
ALREADY_DECIDED = "Cette demande a déjà été traitée par un autre agent."


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


def request_habilitation(
    *,
    account: Account,
    establishment: Establishment | None,
    application_code: str = Application.APART,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> Habilitation:
    """Create a pending habilitation request of ``account`` to the application.

    One live (pending or active) habilitation per account and application: if one exists, raise
    HabilitationAlreadyLive (callers attach the establishment to it instead, the guide's case 2).
    Safe inside the caller's transaction (the insert runs in a savepoint).
    """
    application = Application.objects.get(code=application_code)
    with transaction.atomic():
        try:
            with transaction.atomic():
                habilitation = Habilitation.objects.create(
                    account=account,
                    application=application,
                    status=Habilitation.Status.PENDING,
                    requested_ip=audit.ip_address,
                )
        except IntegrityError:
            live = Habilitation.objects.select_related("application").get(
                account=account,
                application=application,
                status__in=Habilitation.LIVE_STATUSES,
            )
            raise HabilitationAlreadyLive(live) from None
        if establishment is not None:
            habilitation.establishments.add(establishment)
        _log(
            habilitation,
            action=AuditAction.HABILITATION_REQUESTED,
            before={},
            actor=actor or account,
            audit=audit,
            extra={"sirets": [establishment.siret] if establishment else []},
        )
    return habilitation


def attach_establishment(
    *,
    habilitation: Habilitation,
    establishment: Establishment,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> None:
    """Link one more establishment to an existing habilitation (the guide's case 2: "Cette même
    habilitation va être rattachée à ce compte établissement"). Attaching twice changes nothing."""
    with transaction.atomic():
        if habilitation.establishments.filter(pk=establishment.pk).exists():
            return
        habilitation.establishments.add(establishment)
        before = _snapshot(habilitation)
        _log(
            habilitation,
            action=AuditAction.HABILITATION_ESTABLISHMENT_ATTACHED,
            before=before,
            actor=actor or habilitation.account,
            audit=audit,
            reason=f"Établissement rattaché : {establishment.siret}",
            extra={"siret": establishment.siret},
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
        raise AlreadyDecided(ALREADY_DECIDED)
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
            "La date de fin doit être postérieure à la date de début.", field="end_date"
        )
    if end <= paris_today():
        raise HabilitationError(
            "La date de fin doit être postérieure à aujourd'hui.", field="end_date"
        )


def default_period(
    habilitation: Habilitation, *, start: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """Start today (Europe/Paris) by default, end after the application's validity (one year)."""
    start = start or paris_today()
    return start, start + habilitation.application.default_validity


def approve_habilitation(
    *,
    habilitation: Habilitation,
    actor: Account,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    comment: str = "",
    audit: AuditContext = SYSTEM,
) -> Habilitation:
    """Grant a pending request from ``start_date`` (default today) to ``end_date`` (default start
    + the application's validity) and send the email "Habilitation à l'activité partielle"."""
    start, default_end = default_period(habilitation, start=start_date)
    end = end_date or default_end
    _check_period(start, end)
    with transaction.atomic():
        current = _locked(habilitation, Habilitation.Status.PENDING)
        refuse_own_decision(actor=actor, account=current.account_id)
        try:
            fraud.check_approval(subject=current, actor=actor)
        except fraud.FraudCheckError as refused:
            raise HabilitationError(refused.message) from None
        fraud.close_on_decision(subject=current, approved=True, actor=actor)
        before = _snapshot(current)
        current.status = Habilitation.Status.ACTIVE
        current.start_date, current.end_date = start, end
        current.decided_at, current.decided_by = timezone.now(), actor
        if comment:
            current.internal_comment = comment
        current.save()
        _log(
            current,
            action=AuditAction.HABILITATION_APPROVED,
            before=before,
            actor=actor,
            audit=audit,
        )
        emails.queue_granted(current)
    return current


def reject_habilitation(
    *,
    habilitation: Habilitation,
    actor: Account,
    reason: str,
    internal_comment: str = "",
    audit: AuditContext = SYSTEM,
) -> Habilitation:
    """Refuse a pending request: ``reason`` is emailed to the user, the comment stays internal."""
    if not reason.strip():
        raise HabilitationError(
            "Indiquez le motif du refus, il sera communiqué au demandeur.", field="reason"
        )
    with transaction.atomic():
        current = _locked(habilitation, Habilitation.Status.PENDING)
        refuse_own_decision(actor=actor, account=current.account_id)
        fraud.close_on_decision(subject=current, approved=False, actor=actor)
        before = _snapshot(current)
        current.status = Habilitation.Status.REJECTED
        current.rejection_reason = reason.strip()
        current.internal_comment = internal_comment.strip()
        current.decided_at, current.decided_by = timezone.now(), actor
        current.save()
        _log(
            current,
            action=AuditAction.HABILITATION_REJECTED,
            before=before,
            actor=actor,
            audit=audit,
            reason=reason,
        )
        emails.queue_rejected(current)
        _end_sessions_if_shut_out(current)
    return current


@dataclass(frozen=True)
class BulkOutcome:
    approved: int
    refused: list[tuple[int, str]]  # (habilitation id, French reason)


def approve_habilitations(
    *, habilitation_ids: list[int], actor: Account, audit: AuditContext = SYSTEM
) -> BulkOutcome:
    """Approve several pending requests with the default period, one transaction each (a request
    decided meanwhile by another agent does not undo the others)."""
    approved = 0
    refused: list[tuple[int, str]] = []
    for habilitation in Habilitation.objects.filter(pk__in=habilitation_ids).order_by("pk"):
        try:
            approve_habilitation(habilitation=habilitation, actor=actor, audit=audit)
        except UserError as error:  # a rule, or another agent deciding first
            refused.append((habilitation.pk, error.message))
        else:
            approved += 1
    return BulkOutcome(approved=approved, refused=refused)


def extend_habilitation(
    *,
    habilitation: Habilitation,
    actor: Account,
    end_date: datetime.date,
    reason: str = "",
    audit: AuditContext = SYSTEM,
) -> Habilitation:
    """Move an active habilitation's end date (answers a renewal request). The renewal reminder
    is re-armed: it was sent for the old end date."""
    with transaction.atomic():
        current = _locked(habilitation, Habilitation.Status.ACTIVE)
        refuse_own_decision(actor=actor, account=current.account_id)
        assert current.start_date is not None  # noqa: S101 (DB constraint: active has dates)
        _check_period(current.start_date, end_date)
        before = _snapshot(current)
        current.end_date = end_date
        current.renewal_requested_at = None
        current.decided_at, current.decided_by = timezone.now(), actor
        current.save()
        _log(
            current,
            action=AuditAction.HABILITATION_EXTENDED,
            before=before,
            actor=actor,
            audit=audit,
            reason=reason,
        )
        emails.queue_extended(current)
    return current


def revoke_habilitation(
    *, habilitation: Habilitation, actor: Account, reason: str, audit: AuditContext = SYSTEM
) -> Habilitation:
    """End an active habilitation now; the reason is emailed to the holder."""
    if not reason.strip():
        raise HabilitationError("Indiquez le motif de la révocation.", field="reason")
    with transaction.atomic():
        current = _locked(habilitation, Habilitation.Status.ACTIVE)
        refuse_own_decision(actor=actor, account=current.account_id)
        before = _snapshot(current)
        current.status = Habilitation.Status.REVOKED
        current.revocation_reason = reason.strip()
        current.renewal_requested_at = None
        current.decided_at, current.decided_by = timezone.now(), actor
        current.save()
        _log(
            current,
            action=AuditAction.HABILITATION_REVOKED,
            before=before,
            actor=actor,
            audit=audit,
            reason=reason,
        )
        emails.queue_revoked(current)
        _end_sessions_if_shut_out(current)
    return current


def request_renewal(
    *, account: Account, actor: Account | None = None, audit: AuditContext = SYSTEM
) -> Habilitation:
    """The holder asks to renew the APART habilitation.

    Active: the request is flagged on it (one live habilitation per account and application) and
    agents extend it. Expired, revoked or rejected: a new pending request for the same
    establishments. Pending: nothing to renew.
    """
    with transaction.atomic():
        latest = (
            Habilitation.objects.select_for_update()
            .filter(account=account, application__code=Application.APART)
            .order_by("-requested_at", "-id")
            .first()
        )
        if latest is None:
            raise HabilitationError("Vous n'avez pas d'habilitation à renouveler.")
        if latest.status == Habilitation.Status.PENDING:
            raise HabilitationError("Votre demande d'habilitation est en cours de traitement.")
        if latest.status == Habilitation.Status.ACTIVE:
            if latest.renewal_requested_at is None:
                before = _snapshot(latest)
                latest.renewal_requested_at = timezone.now()
                latest.save(update_fields=["renewal_requested_at", "updated_at"])
                _log(
                    latest,
                    action=AuditAction.HABILITATION_RENEWAL_REQUESTED,
                    before=before,
                    actor=actor or account,
                    audit=audit,
                    reason="Demande de renouvellement",
                )
            return latest
        establishments = list(latest.establishments.order_by("pk"))
        renewal = request_habilitation(
            account=account,
            establishment=establishments[0] if establishments else None,
            actor=actor,
            audit=audit,
        )
        renewal.establishments.add(*establishments[1:])
        return renewal


def expire_habilitation(*, habilitation: Habilitation, today: datetime.date) -> bool:
    """Active -> expired once the end date has come. False if there was nothing to do (already
    expired by a concurrent run, or extended meanwhile)."""
    with transaction.atomic():
        try:
            current = _locked(habilitation, Habilitation.Status.ACTIVE)
        except AlreadyDecided:
            return False
        if current.end_date is None or current.end_date > today:
            return False
        before = _snapshot(current)
        current.status = Habilitation.Status.EXPIRED
        current.renewal_requested_at = None
        current.save()
        _log(
            current,
            action=AuditAction.HABILITATION_EXPIRED,
            before=before,
            actor=None,
            audit=SYSTEM,
            reason="Date de fin atteinte",
        )
        _end_sessions_if_shut_out(current)
    return True


def send_renewal_reminder(*, habilitation: Habilitation, today: datetime.date) -> bool:
    """Email the holder ``APART_HABILITATION_REMINDER_DAYS`` before the end date, once per end
    date (``reminder_sent_for``: a new end date re-arms it). False if nothing was due."""
    with transaction.atomic():
        try:
            current = _locked(habilitation, Habilitation.Status.ACTIVE)
        except AlreadyDecided:
            return False
        end = current.end_date
        horizon = today + datetime.timedelta(days=settings.APART_HABILITATION_REMINDER_DAYS)
        if end is None or not today < end <= horizon or current.reminder_sent_for == end:
            return False
        current.reminder_sent_for = end
        current.save(update_fields=["reminder_sent_for", "updated_at"])
        record_event(
            action=AuditAction.HABILITATION_REMINDER_SENT,
            account=current.account,
            target=current,
            new={"reminder_sent_for": end.isoformat()},
        )
        emails.queue_renewal_reminder(current)
    return True
