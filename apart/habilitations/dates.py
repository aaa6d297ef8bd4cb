"""Calendar dates as the service's users live them: Europe/Paris, whatever the server's zone."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def paris_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in Europe/Paris: an habilitation "à compter du" a date starts at local midnight."""
    return timezone.localtime(now or timezone.now(), PARIS).date()


def french_date(value: datetime.date) -> str:
    """dd/mm/yyyy, the way the guide writes dates."""
    return value.strftime("%d/%m/%Y")
