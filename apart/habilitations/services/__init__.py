"""Changes of state of habilitations. Each runs in one transaction, writes the status history
(HabilitationEvent) and an audit row, and queues its emails in that same transaction.

By area: ``requests`` (what the holder asks), ``decisions`` (agents), ``expiry`` (scheduled),
``common`` (refusals, history, row lock). Reads are in ``apart.habilitations.selectors``.
"""

from apart.habilitations.services.common import (
    ALREADY_DECIDED,
    HabilitationAlreadyLive,
    HabilitationError,
)
from apart.habilitations.services.decisions import (
    BulkOutcome,
    approve_habilitation,
    approve_habilitations,
    extend_habilitation,
    reject_habilitation,
    revoke_habilitation,
)
from apart.habilitations.services.expiry import expire_habilitation, send_renewal_reminder
from apart.habilitations.services.requests import (
    attach_establishment,
    request_habilitation,
    request_renewal,
)

__all__ = [
    "ALREADY_DECIDED",
    "BulkOutcome",
    "HabilitationAlreadyLive",
    "HabilitationError",
    "approve_habilitation",
    "approve_habilitations",
    "attach_establishment",
    "expire_habilitation",
    "extend_habilitation",
    "reject_habilitation",
    "request_habilitation",
    "request_renewal",
    "revoke_habilitation",
    "send_renewal_reminder",
]
