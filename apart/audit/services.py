from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.http import HttpRequest

from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.models import AuditEvent
from apart.core.metrics import EVENTS

if TYPE_CHECKING:  # a type only: audit sits below accounts
    from apart.accounts.models import Account


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as seen by Django (REMOTE_ADDR; the proxy in front sets it right)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: AuditAction,
    actor: Account | None = None,
    account: Account | None = None,
    target: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.SUCCESS,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
    context: AuditContext = SYSTEM,
) -> AuditEvent:
    """Write one audit row. Call it inside the transaction of the change it records.

    ``context`` (built once per request by the view, ``SYSTEM`` for commands and jobs) gives the
    address and user agent, and the actor when none is given.

    The operators' event counter (apart_events, docs/operations.md) counts it once that
    transaction commits: a change rolled back is neither in the audit nor in the metrics.
    """
    if actor is None:
        actor = context.actor
    event = AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        account=account if getattr(account, "pk", None) else None,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        outcome=outcome,
        old_values=old or {},
        new_values=new or {},
        reason=reason,
        ip_address=context.ip_address,
        user_agent=context.user_agent,
    )
    transaction.on_commit(partial(EVENTS.labels(action=action, outcome=outcome).inc))
    return event
