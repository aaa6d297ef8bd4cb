"""Reads of the employer's space."""

from typing import Any

from django.db.models import QuerySet

from apart.audit.actions import AuditAction
from apart.audit.models import AuditEvent

LAST_LOGINS_SHOWN = 10


def last_logins(account: Any, *, limit: int = LAST_LOGINS_SHOWN) -> QuerySet[AuditEvent]:
    """The account's most recent successful logins (audit rows written at login)."""
    return AuditEvent.objects.filter(account=account, action=AuditAction.ACCOUNT_LOGIN).order_by(
        "-created_at", "-id"
    )[:limit]
