"""Deadlines of the demandes d'indemnisation and the freshness of bank details: pure rules."""

import calendar
import datetime

from django.conf import settings

from apart.dap.models import Decision
from apart.establishments.models import BankDetailsVersion
from apart.habilitations.dates import french_date

DEADLINE_PASSED = (
    "La demande d'indemnisation doit être déposée dans un délai de {months} mois à compter de la "
    "fin de la période autorisée ({end}) : le délai a expiré le {last_day}."
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claim_deadline(decision: Decision) -> datetime.date:
    """Last day to deposit a claim: APART_CLAIM_DEADLINE_MONTHS after the authorised period."""
    return add_months(decision.end_date, settings.APART_CLAIM_DEADLINE_MONTHS)


def deadline_error(decision: Decision, *, on: datetime.date) -> str:
    last_day = claim_deadline(decision)
    if on > last_day:
        return DEADLINE_PASSED.format(
            months=settings.APART_CLAIM_DEADLINE_MONTHS,
            end=french_date(decision.end_date),
            last_day=french_date(last_day),
        )
    return ""


def bank_changed_recently(bank: BankDetailsVersion | None, *, before: datetime.datetime) -> bool:
    """The bank details were set or changed less than APART_FRAUD_BANK_CHANGE_DAYS before
    ``before`` (a first version without author, from before versions existed, does not count)."""
    if bank is None or bank.created_by_id is None:
        return False
    days = settings.APART_FRAUD_BANK_CHANGE_DAYS
    return before - bank.created_at < datetime.timedelta(days=days)
