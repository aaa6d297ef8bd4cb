"""Reads of the employer's space."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from apart.audit.actions import AuditAction
from apart.audit.models import AuditEvent
from apart.claims.models import Claim
from apart.core.prepared import fetch_prepared
from apart.dap.models import AuthorisationRequest, Decision
from apart.dap.selectors import SpaceCounts
from apart.establishments.models import Establishment, EstablishmentFiche
from apart.establishments.selectors import DASHBOARD_SHOWN, establishments_of, listed
from apart.habilitations.models import Application, Habilitation

LAST_LOGINS_SHOWN = 10


def last_logins(account: Any, *, limit: int = LAST_LOGINS_SHOWN) -> QuerySet[AuditEvent]:
    """The account's most recent successful logins (audit rows written at login)."""
    return AuditEvent.objects.filter(account=account, action=AuditAction.ACCOUNT_LOGIN).order_by(
        "-created_at", "-id"
    )[:limit]


@dataclass(frozen=True)
class DashboardSummary:
    """What the dashboard shows: the first establishments by name (a few columns and the stored
    completeness), their total, and the live DAP / decision / DI counts of all of them."""

    shown: list[Establishment]
    total: int
    counts: SpaceCounts


def _column(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).column)


@cache
def _dashboard_sql() -> str:
    """One statement, written once per process (the ORM's query building was most of the
    dashboard's time, not the database) and prepared once per connection (apart.core.prepared:
    PostgreSQL planned it anew on every request). Membership is the one of establishments_of
    (the establishments of the account's *active* APART habilitation; pending grants nothing),
    and the counts are those of space_counts (one pass over the members' DAP, their decisions
    and DI); tests/space/test_dashboard_queries.py checks both against those selectors. Only
    the establishments shown are joined to their fiche; the total and the counts are computed
    once per statement (``MATERIALIZED``: PostgreSQL otherwise ran the counts again for each
    establishment shown)."""
    link = Habilitation.establishments.through
    names = {
        "establishment": Establishment._meta.db_table,
        "fiche": EstablishmentFiche._meta.db_table,
        "link": link._meta.db_table,
        "link_establishment": _column(link, "establishment"),
        "link_habilitation": _column(link, "habilitation"),
        "habilitation": Habilitation._meta.db_table,
        "application": Application._meta.db_table,
        "request": AuthorisationRequest._meta.db_table,
        "request_establishment": _column(AuthorisationRequest, "establishment"),
        "decision": Decision._meta.db_table,
        "decision_request": _column(Decision, "request"),
        "claim": Claim._meta.db_table,
        "claim_decision": _column(Claim, "decision"),
    }
    # Identifiers from our own models' metadata only; every value is a parameter.
    return """
        WITH members AS (
            SELECT l.{link_establishment} AS id FROM {link} l
            JOIN {habilitation} h ON h.id = l.{link_habilitation}
            JOIN {application} a ON a.id = h.application_id
            WHERE a.code = %s AND h.status = %s AND h.account_id = %s
        ),
        shown AS (
            SELECT e.id, e.siret, e.denomination, e.city, e.main_contact_id FROM {establishment} e
            WHERE e.id IN (SELECT id FROM members)
            ORDER BY e.denomination, e.siret
            LIMIT %s
        ),
        counts AS MATERIALIZED (
            SELECT (SELECT COUNT(*) FROM members) AS total,
                COUNT(DISTINCT r.id) AS requests, COUNT(DISTINCT d.id) AS decisions,
                COUNT(DISTINCT CASE WHEN d.outcome = %s THEN d.id END) AS accepted,
                COUNT(DISTINCT c.id) AS claims
            FROM {request} r
            LEFT JOIN {decision} d ON d.{decision_request} = r.id
            LEFT JOIN {claim} c ON c.{claim_decision} = d.id
            WHERE r.{request_establishment} IN (SELECT id FROM members)
        )
        SELECT s.id, s.siret, s.denomination, s.city, s.main_contact_id,
            COALESCE(f.complete, %s) AS fiche_complete,
            counts.total, counts.requests, counts.decisions, counts.accepted, counts.claims
        FROM shown s
        CROSS JOIN counts
        LEFT JOIN {fiche} f ON f.establishment_id = s.id
        ORDER BY s.denomination, s.siret
    """.format(**names)  # noqa: S608


_SHOWN_FIELDS = ("id", "siret", "denomination", "city", "main_contact_id")


def dashboard_summary(account: Any, *, shown: int = DASHBOARD_SHOWN) -> DashboardSummary:
    """The dashboard's establishments and counts in one query, whatever their number."""
    params = [
        Application.APART,
        Habilitation.Status.ACTIVE.value,
        account.pk,
        shown,
        Decision.Outcome.ACCEPTED.value,
        False,
    ]
    rows = fetch_prepared(_dashboard_sql(), params)
    establishments: list[Establishment] = []
    for row in rows:
        establishment = Establishment.from_db(connection.alias, _SHOWN_FIELDS, row[:5])
        establishment.fiche_complete = bool(row[5])  # type: ignore[attr-defined]
        establishments.append(establishment)
    if not rows:  # no establishment: nothing to count either (the counts are of members')
        return DashboardSummary(shown=[], total=0, counts=SpaceCounts(0, 0, 0, 0))
    total, requests, decisions, accepted, claims = (int(value or 0) for value in rows[0][6:])
    return DashboardSummary(
        shown=establishments,
        total=total,
        counts=SpaceCounts(
            requests=requests, decisions=decisions, accepted_decisions=accepted, claims=claims
        ),
    )


def current_of(account: Any, shown: list[Establishment], current_id: Any) -> Establishment | None:
    """The current establishment (chosen in the session) if it is still one of the account's,
    else the first shown: read from ``shown`` when it is there, else one more query."""
    if current_id is not None:
        found = next((e for e in shown if e.pk == current_id), None)
        if found is None and isinstance(current_id, int):
            found = listed(establishments_of(account)).filter(pk=current_id).first()
        if found is not None:
            return found
    return shown[0] if shown else None
