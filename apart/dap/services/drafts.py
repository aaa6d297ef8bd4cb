"""The employer's DAP: a draft saved and changed, then transmitted. Each change is one
transaction with its audit row."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.audit.transitions import change_status, check_move
from apart.core.errors import UserError
from apart.core.hooks import fraud_checks
from apart.dap import rules
from apart.dap.models import AuthorisationRequest
from apart.dap.selectors import recorded_previous_use
from apart.establishments.completeness import fiche_of, is_complete
from apart.establishments.models import Establishment
from apart.habilitations.dates import paris_today

DRAFT_FIELDS = (
    "reason",
    "reason_details",
    "start_date",
    "end_date",
    "employees",
    "hours_requested",
    "kind",
    "cse_consulted_on",
    "cse_opinion",
    "previous_use",
    "commitments",
)
ALREADY_SUBMITTED = "Cette demande a déjà été transmise : elle ne peut plus être modifiée."


class DapError(UserError):
    """A change of a DAP refused by a rule."""


class DapRuleError(DapError):
    """Rules broken by the values of a DAP: ``errors`` maps a field name to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


def _rule_errors(
    establishment: Establishment, values: Mapping[str, Any], *, on: datetime.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["end_date"] < values["start_date"]:
        errors["end_date"] = rules.END_BEFORE_START
    deadline = rules.deposit_deadline_error(
        reason=values["reason"], start_date=values["start_date"], on=on
    )
    if deadline:
        errors["start_date"] = deadline
    workforce = fiche_of(establishment).workforce or 0
    cse = rules.cse_error(
        workforce=workforce,
        consulted_on=values.get("cse_consulted_on"),
        opinion=values.get("cse_opinion", ""),
        on=on,
    )
    if cse:
        errors["cse_consulted_on"] = cse
    commitments = rules.commitments_error(
        previous_use=bool(values.get("previous_use")), commitments=values.get("commitments", "")
    )
    if commitments:
        errors["commitments"] = commitments
    return errors


def _check_establishment(establishment: Establishment) -> None:
    if not is_complete(establishment):
        raise DapError(rules.FICHE_INCOMPLETE)


def _snapshot(dap: AuthorisationRequest) -> dict[str, Any]:
    return {name: _plain(getattr(dap, name)) for name in DRAFT_FIELDS}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def save_draft(
    *,
    establishment: Establishment,
    values: Mapping[str, Any],
    actor: Account,
    dap: AuthorisationRequest | None = None,
    audit: AuditContext = SYSTEM,
) -> AuthorisationRequest:
    """Create a DAP draft of ``establishment`` (whose fiche must be complète) or change
    ``dap``'s, a draft. The rules are checked now too: they only get stricter as days pass."""
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not DAP fields: {sorted(unknown)}")
    _check_establishment(establishment)
    on = paris_today()
    values = {**values}
    if recorded_previous_use(establishment, before=values["start_date"]):
        values["previous_use"] = True
    errors = _rule_errors(establishment, values, on=on)
    if errors:
        raise DapRuleError(errors)
    workforce = fiche_of(establishment).workforce or 0
    with transaction.atomic():
        if dap is None:
            dap = AuthorisationRequest(
                establishment=establishment, created_by=actor, workforce=workforce, **values
            )
            dap.save()
            record_event(
                action=AuditAction.DAP_CREATED,
                actor=actor,
                account=actor,
                target=dap,
                new=_snapshot(dap),
                context=audit,
            )
            return dap
        locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
        if locked.status != AuthorisationRequest.Status.DRAFT:
            raise DapError(ALREADY_SUBMITTED)
        old = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.workforce = workforce
        locked.save()
        new = _snapshot(locked)
        changed = {k: v for k, v in new.items() if old[k] != v}
        if changed:
            record_event(
                action=AuditAction.DAP_DRAFT_UPDATED,
                actor=actor,
                account=actor,
                target=locked,
                old={k: old[k] for k in changed},
                new=changed,
                context=audit,
            )
        return locked


def submit_dap(
    *, dap: AuthorisationRequest, actor: Account, audit: AuditContext = SYSTEM
) -> AuthorisationRequest:
    """Transmit a draft: the fiche must still be complète and the rules met on this day."""
    with transaction.atomic():
        locked = (
            AuthorisationRequest.objects.select_for_update(of=("self",))
            .select_related("establishment__fiche")
            .get(pk=dap.pk)
        )
        submitted = AuthorisationRequest.Status.SUBMITTED
        refused = DapError(gettext("Cette demande a déjà été transmise."))
        check_move(locked, submitted, refusal=refused)
        _check_establishment(locked.establishment)
        values = {name: getattr(locked, name) for name in DRAFT_FIELDS}
        errors = _rule_errors(locked.establishment, values, on=paris_today())
        if errors:
            raise DapRuleError(errors)
        change_status(
            locked,
            submitted,
            refusal=refused,
            action=AuditAction.DAP_SUBMITTED,
            audit=audit,
            actor=actor,
            account=actor,
            fields={"submitted_at": timezone.now()},
        )
        fraud_checks().assess(subject=locked)
        return locked
