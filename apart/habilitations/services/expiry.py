"""The scheduled changes: expiry at the end date and the renewal reminder (run by lifecycle)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM
from apart.audit.services import record_event
from apart.core.errors import AlreadyDecided
from apart.habilitations import emails
from apart.habilitations.models import Habilitation
from apart.habilitations.services.common import (
    _end_sessions_if_shut_out,
    _locked,
    _log,
    _snapshot,
)


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
