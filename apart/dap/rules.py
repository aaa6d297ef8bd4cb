"""The rules of a DAP, as pure functions returning the French message of a broken rule.

Dates are calendar dates in Europe/Paris (apart.habilitations.dates.paris_today).
"""

import datetime

from django.conf import settings

from apart.dap.models import AFTERWARDS_REASONS
from apart.habilitations.dates import french_date

FICHE_INCOMPLETE = (
    "La création d'une demande d'autorisation préalable est impossible tant que votre fiche "
    "établissement n'est pas complète."
)
CSE_REQUIRED = (
    "Votre établissement compte {workforce} salariés : indiquez la date de consultation du comité "
    "social et économique (CSE) et son avis (article R5122-2 du Code du travail)."
)
CSE_DATE_IN_FUTURE = "La consultation du CSE ne peut pas être postérieure à la date du dépôt."
COMMITMENTS_REQUIRED = (
    "Votre établissement a eu recours à l'activité partielle au cours des {months} derniers mois : "
    "précisez les engagements que vous souscrivez (article R5122-9 du Code du travail)."
)
END_BEFORE_START = "La date de fin doit être postérieure ou égale à la date de début."


def deposit_deadline_error(*, reason: str, start_date: datetime.date, on: datetime.date) -> str:
    """R5122-3: the DAP precedes the placement in activité partielle; for a sinistre, des
    intempéries or another exceptional circumstance (3° and 5° of R5122-1) it may follow it,
    within 30 days (APART_DAP_DEADLINE_DAYS). ``on`` is the day of the deposit. "" when met."""
    if reason in AFTERWARDS_REASONS:
        days = settings.APART_DAP_DEADLINE_DAYS
        last_day = start_date + datetime.timedelta(days=days)
        if on > last_day:
            return (
                "Pour un sinistre, des intempéries ou une autre circonstance de caractère "
                f"exceptionnel, la demande doit être déposée dans un délai de {days} jours à "
                "compter de la mise en activité partielle des salariés : pour une mise en "
                f"activité partielle le {french_date(start_date)}, au plus tard le "
                f"{french_date(last_day)}."
            )
        return ""
    if on >= start_date:
        return (
            "Pour ce motif, la demande d'autorisation doit être déposée avant la mise en activité "
            "partielle des salariés : la date de début doit être postérieure au "
            f"{french_date(on)}, date du dépôt."
        )
    return ""


def cse_required(workforce: int) -> bool:
    return workforce >= settings.APART_DAP_CSE_WORKFORCE


def cse_error(
    *,
    workforce: int,
    consulted_on: datetime.date | None,
    opinion: str,
    on: datetime.date,
) -> str:
    if not cse_required(workforce):
        return ""
    if consulted_on is None or not opinion:
        return CSE_REQUIRED.format(workforce=workforce)
    if consulted_on > on:
        return CSE_DATE_IN_FUTURE
    return ""


def commitments_error(*, previous_use: bool, commitments: str) -> str:
    if previous_use and not commitments.strip():
        return COMMITMENTS_REQUIRED.format(months=settings.APART_DAP_PREVIOUS_USE_MONTHS)
    return ""
