"""Agents' decisions on habilitations: approve (one or several), reject, extend, revoke. One
transaction each under a row lock, with the history, the audit row and the holder's email."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.core.errors import UserError
from apart.core.hooks import ApprovalRefused, fraud_checks
from apart.habilitations import emails
from apart.habilitations.models import Habilitation
from apart.habilitations.services.common import (
    HabilitationError,
    _check_period,
    _end_sessions_if_shut_out,
    _locked,
    _log,
    _snapshot,
    default_period,
    refuse_own_decision,
)


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
            fraud_checks().check_approval(subject=current, actor=actor)
        except ApprovalRefused as refused:
            raise HabilitationError(refused.message) from None
        fraud_checks().close_on_decision(subject=current, approved=True, actor=actor)
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
            gettext("Indiquez le motif du refus, il sera communiqué au demandeur."), field="reason"
        )
    with transaction.atomic():
        current = _locked(habilitation, Habilitation.Status.PENDING)
        refuse_own_decision(actor=actor, account=current.account_id)
        fraud_checks().close_on_decision(subject=current, approved=False, actor=actor)
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
        raise HabilitationError(gettext("Indiquez le motif de la révocation."), field="reason")
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
