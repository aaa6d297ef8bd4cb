"""A change of status, checked against its model's table of allowed moves, and its audit row.

The models say which moves exist (``TRANSITIONS``: from a status to the statuses it may become);
a service locks the row, checks the move first (``check_move``) when its other checks must come
after that refusal, and makes it with ``change_status``, which checks it again, saves the status
with the fields that go with it and writes the audit row, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.services import record_event
from apart.core.errors import UserError


class WithStatus(Protocol):
    """A model row with a ``status`` and its table of allowed moves."""

    TRANSITIONS: Mapping[str, Collection[str]]
    pk: Any
    status: Any

    def save(self, *, update_fields: Collection[str]) -> None: ...


def check_move(row: WithStatus, to: str, *, refusal: UserError) -> None:
    """Raise ``refusal`` unless ``row`` may go from its status to ``to``."""
    if to not in row.TRANSITIONS.get(row.status, ()):
        raise refusal


def change_status(
    row: WithStatus,
    to: str,
    *,
    refusal: UserError,
    action: AuditAction,
    audit: AuditContext,
    actor: Any,
    account: Any,
    fields: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str = "",
) -> str:
    """Move ``row`` (locked by the caller) to ``to`` with ``fields``, save them, and write the
    audit row: ``old`` holds the former status, ``new`` the new one and ``new``'s values.
    Returns the former status."""
    check_move(row, to, refusal=refusal)
    old = row.status
    row.status = to
    for name, value in (fields or {}).items():
        setattr(row, name, value)
    row.save(update_fields=["status", *(fields or {}), "updated_at"])
    record_event(
        action=action,
        actor=actor,
        account=account,
        target=row,  # type: ignore[arg-type]  # a model row (the Protocol names what is used)
        old={"status": old},
        new={"status": to, **(new or {})},
        reason=reason,
        context=audit,
    )
    return str(old)
