"""The emails habilitations send; each queued inside the transaction of its decision."""

import datetime
from typing import Any

from django.conf import settings

from apart.habilitations.dates import french_date
from apart.habilitations.models import Habilitation
from apart.notifications.services import queue_email

TEMPLATES = "habilitations/emails"


def _context(habilitation: Habilitation) -> dict[str, Any]:
    end = habilitation.end_date
    return {
        "account": habilitation.account,
        "application_name": habilitation.application.name,
        "application_url": settings.APART_PUBLIC_URL.rstrip("/") + "/",
        "start_date": french_date(habilitation.start_date) if habilitation.start_date else "",
        "end_date": french_date(end) if end else "",
        # The end date is the day it expires: the last day of validity is the day before.
        "last_day": french_date(end - datetime.timedelta(days=1)) if end else "",
        "dap_deadline_days": settings.APART_DAP_DEADLINE_DAYS,
        "claim_deadline_months": settings.APART_CLAIM_DEADLINE_MONTHS,
        "rejection_reason": habilitation.rejection_reason,
        "revocation_reason": habilitation.revocation_reason,
        "reminder_days": settings.APART_HABILITATION_REMINDER_DAYS,
    }


def _queue(habilitation: Habilitation, name: str) -> None:
    queue_email(
        to=habilitation.account.email,
        template=f"{TEMPLATES}/{name}",
        context=_context(habilitation),
        account=habilitation.account,
    )


def queue_granted(habilitation: Habilitation) -> None:
    """The guide's email "Habilitation à l'activité partielle"."""
    _queue(habilitation, "granted")


def queue_rejected(habilitation: Habilitation) -> None:
    _queue(habilitation, "rejected")


def queue_extended(habilitation: Habilitation) -> None:
    _queue(habilitation, "extended")


def queue_revoked(habilitation: Habilitation) -> None:
    _queue(habilitation, "revoked")


def queue_renewal_reminder(habilitation: Habilitation) -> None:
    _queue(habilitation, "renewal_reminder")


def queue_attachment_decided(attachment: Any) -> None:
    """The decision on a request to add an establishment to the habilitation."""
    habilitation = attachment.habilitation
    establishment = attachment.establishment
    queue_email(
        to=habilitation.account.email,
        template=f"{TEMPLATES}/attachment_decided",
        context={
            **_context(habilitation),
            "approved": attachment.status == "approved",
            "denomination": establishment.denomination,
            "siret": establishment.siret,
            "attachment_reason": attachment.rejection_reason,
        },
        account=habilitation.account,
    )
