"""Changes of state of the DAP and their decisions. Each one is one function, one transaction,
its audit row, and the emails it causes queued in that same transaction.

By area: ``drafts`` (the employer's draft and its transmission), ``decisions`` (agents and the
implicit acceptance), ``attachments``. Reads are in ``apart.dap.selectors``.
"""

from apart.dap.files import AttachmentError
from apart.dap.services.attachments import add_attachment, remove_attachment
from apart.dap.services.decisions import (
    DECISION_EMAIL,
    DEFAULT_ACCEPT_REASON,
    IMPLICIT_REASON,
    FraudRefusal,
    decide_dap,
    record_implicit_decisions,
    refuse_own_decision,
    start_instruction,
)
from apart.dap.services.drafts import (
    ALREADY_SUBMITTED,
    DRAFT_FIELDS,
    DapError,
    DapRuleError,
    save_draft,
    submit_dap,
)

__all__ = [
    "ALREADY_SUBMITTED",
    "DECISION_EMAIL",
    "DEFAULT_ACCEPT_REASON",
    "DRAFT_FIELDS",
    "IMPLICIT_REASON",
    "AttachmentError",
    "DapError",
    "DapRuleError",
    "FraudRefusal",
    "add_attachment",
    "decide_dap",
    "record_implicit_decisions",
    "refuse_own_decision",
    "remove_attachment",
    "save_draft",
    "start_instruction",
    "submit_dap",
]
