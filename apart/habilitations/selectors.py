"""Reads of habilitations (no writes here).

Dates: a habilitation is valid from ``start_date`` (included) to ``end_date`` (excluded): it
expires *on* its end date, so the default period "start + 365 days" is exactly one year
("les droits sont affectés par défaut pour une période d'un an").
"""

import datetime

from django.db.models import QuerySet

from apart.accounts.models import Account
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation


def live_habilitation(*, account: Account, application_code: str = "APART") -> Habilitation | None:
    """The account's pending or active habilitation to the application (at most one exists)."""
    return (
        Habilitation.objects.select_related("application")
        .filter(
            account=account,
            application__code=application_code,
            status__in=Habilitation.LIVE_STATUSES,
        )
        .first()
    )


def active_habilitation(
    *, account: Account, application_code: str = "APART", on: datetime.date | None = None
) -> Habilitation | None:
    """The account's active habilitation to the application.

    Without ``on``: the active habilitation whatever its dates (an habilitation granted "à compter
    du" a later date is already the account's habilitation, e.g. for the guide's case 2). With
    ``on``: only if it is valid that day (start_date <= on < end_date).
    """
    habilitations = Habilitation.objects.select_related("application").filter(
        account=account,
        application__code=application_code,
        status=Habilitation.Status.ACTIVE,
    )
    if on is not None:
        habilitations = habilitations.filter(start_date__lte=on, end_date__gt=on)
    return habilitations.first()


def latest_habilitation(
    *, account: Account, application_code: str = "APART"
) -> Habilitation | None:
    """The account's most recent habilitation to the application, whatever its status."""
    return (
        Habilitation.objects.select_related("application")
        .filter(account=account, application__code=application_code)
        .order_by("-requested_at", "-id")
        .first()
    )


def habilitations_of(*, account: Account) -> QuerySet[Habilitation]:
    return (
        Habilitation.objects.select_related("application", "decided_by")
        .prefetch_related("establishments")
        .filter(account=account)
        .order_by("-requested_at", "-id")
    )


def is_valid_today(habilitation: Habilitation) -> bool:
    today = paris_today()
    return (
        habilitation.status == Habilitation.Status.ACTIVE
        and habilitation.start_date is not None
        and habilitation.end_date is not None
        and habilitation.start_date <= today < habilitation.end_date
    )
