"""Audit trails exported as CSV (read-only: audit rows are never edited nor deleted)."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from apart.accounts.decorators import AGENT_ROLES, ASSISTANCE_ROLES, roles_required
from apart.audit.models import AuditEvent
from apart.backoffice import selectors
from apart.core.csv import csv_response
from apart.habilitations.models import Habilitation

HEADER = [
    "date",
    "action",
    "resultat",
    "acteur",
    "compte",
    "objet",
    "identifiant_objet",
    "avant",
    "apres",
    "motif",
    "adresse_ip",
]


def _csv(rows: Iterable[AuditEvent], filename: str) -> HttpResponse:
    return csv_response(
        [
            HEADER,
            *(
                (
                    row.created_at.isoformat(),
                    row.action,
                    row.outcome,
                    row.actor.login if row.actor else "",
                    row.account.login if row.account else "",
                    row.object_type,
                    row.object_id,
                    row.old_values,
                    row.new_values,
                    row.reason,
                    row.ip_address or "",
                )
                for row in rows
            ),
        ],
        filename=filename,
    )


@require_safe
@roles_required(*AGENT_ROLES)
def habilitation_audit_csv(request: HttpRequest, pk: int) -> HttpResponse:
    habilitation = get_object_or_404(Habilitation, pk=pk)
    rows = selectors.habilitation_audit(habilitation).select_related("account")
    return _csv(rows, f"audit-habilitation-{habilitation.pk}.csv")


@require_safe
@roles_required(*ASSISTANCE_ROLES)
def account_audit_csv(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(selectors.visible_accounts(request.user), pk=pk)
    return _csv(selectors.account_audit(account), f"audit-compte-{account.login}.csv")
