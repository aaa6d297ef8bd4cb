"""The scheduled part of habilitations: expiry at the end date and renewal reminders.

Idempotent and safe to run every minute, even twice at once: each habilitation changes in its
own transaction under a row lock, after re-checking its state.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation
from apart.habilitations.services import expire_habilitation, send_renewal_reminder


@dataclass(frozen=True)
class LifecycleReport:
    expired: int
    reminded: int


def run_lifecycle(*, today: datetime.date | None = None) -> LifecycleReport:
    today = today or paris_today()
    expired = 0
    for habilitation in Habilitation.objects.filter(
        status=Habilitation.Status.ACTIVE, end_date__lte=today
    ).order_by("pk"):
        expired += expire_habilitation(habilitation=habilitation, today=today)
    horizon = today + datetime.timedelta(days=settings.APART_HABILITATION_REMINDER_DAYS)
    reminded = 0
    due = (
        Habilitation.objects.filter(
            status=Habilitation.Status.ACTIVE, end_date__gt=today, end_date__lte=horizon
        )
        .exclude(reminder_sent_for=F("end_date"))
        .order_by("pk")
    )
    for habilitation in due:
        reminded += send_renewal_reminder(habilitation=habilitation, today=today)
    return LifecycleReport(expired=expired, reminded=reminded)
