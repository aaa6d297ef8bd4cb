"""Changes of state of the demandes d'indemnisation: one function each, one transaction, its
audit row and its emails in that transaction.

By area: ``drafts`` (the employer's claim and its transmission), ``decisions`` (agents). Rules of
deadlines are in ``apart.claims.rules``, reads in ``apart.claims.selectors``.
"""

from apart.claims.services.decisions import (
    BANK_CHANGED_SINCE_SHOWN,
    DECISION_EMAIL,
    ChangedMeanwhile,
    confirm_bank_details,
    record_payment_export,
    reject_claim,
    validate_claim,
)
from apart.claims.services.drafts import (
    NOT_DRAFT,
    ClaimError,
    add_line,
    clean_nir,
    create_claim,
    remove_line,
    submit_claim,
)

__all__ = [
    "BANK_CHANGED_SINCE_SHOWN",
    "DECISION_EMAIL",
    "NOT_DRAFT",
    "ChangedMeanwhile",
    "ClaimError",
    "add_line",
    "clean_nir",
    "confirm_bank_details",
    "create_claim",
    "record_payment_export",
    "reject_claim",
    "remove_line",
    "submit_claim",
    "validate_claim",
]
