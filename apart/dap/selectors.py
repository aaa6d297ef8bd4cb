"""Reads of DAP and decisions, always through the establishments a person is a member of."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apart.accounts.models import Account
from apart.dap.models import Attachment, AuthorisationRequest, Decision
from apart.establishments.models import Establishment
from apart.establishments.selectors import establishments_of
from apart.habilitations.dates import PARIS


def _member_establishment_ids(account: Account) -> QuerySet[Any]:
    return establishments_of(account).order_by().values("pk")


def requests_of(account: Account) -> QuerySet[AuthorisationRequest]:
    return (
        AuthorisationRequest.objects.filter(establishment__in=_member_establishment_ids(account))
        .select_related("establishment", "decision")
        .order_by("-created_at", "-id")
    )


def request_for(account: Account, pk: Any) -> AuthorisationRequest:
    """One of the person's DAP (with its establishment's fiche), or Http404."""
    try:
        return requests_of(account).select_related("establishment__fiche").get(pk=int(pk))
    except (AuthorisationRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("demande inconnue") from None


def decisions_of(account: Account) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(request__establishment__in=_member_establishment_ids(account))
        .select_related("request__establishment")
        .order_by("-decision_date", "-id")
    )


def decision_for(account: Account, pk: Any) -> Decision:
    try:
        return decisions_of(account).get(pk=int(pk))
    except (Decision.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("décision inconnue") from None


def accepted_decisions_of(account: Account) -> QuerySet[Decision]:
    return decisions_of(account).filter(outcome=Decision.Outcome.ACCEPTED)


def attachment_for(account: Account, pk: Any) -> Attachment:
    try:
        return Attachment.objects.select_related("request").get(
            pk=int(pk), request__establishment__in=_member_establishment_ids(account)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("pièce jointe inconnue") from None


@dataclass(frozen=True)
class SpaceCounts:
    """The live counts of the dashboard's blocks."""

    requests: int
    decisions: int
    accepted_decisions: int
    claims: int


def space_counts(account: Account) -> SpaceCounts:
    """DAP, decisions (accepted ones apart) and DI of the person's establishments: one query,
    whatever the number of establishments."""
    totals = AuthorisationRequest.objects.filter(
        establishment__in=_member_establishment_ids(account)
    ).aggregate(
        requests=Count("pk", distinct=True),
        decisions=Count("decision", distinct=True),
        accepted=Count(
            "decision", filter=Q(decision__outcome=Decision.Outcome.ACCEPTED), distinct=True
        ),
        claims=Count("decision__claims", distinct=True),
    )
    return SpaceCounts(
        requests=totals["requests"] or 0,
        decisions=totals["decisions"] or 0,
        accepted_decisions=totals["accepted"] or 0,
        claims=totals["claims"] or 0,
    )


# -- Agents ------------------------------------------------------------------------------------
def instruction_queue() -> QuerySet[AuthorisationRequest]:
    """DAP waiting for a decision, oldest first."""
    return (
        AuthorisationRequest.objects.filter(status__in=AuthorisationRequest.OPEN_STATUSES)
        .select_related("establishment", "created_by", "instructed_by")
        .order_by("submitted_at", "id")
    )


def recent_decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("request__establishment", "decided_by").order_by(
        "-recorded_at", "-id"
    )


def recorded_previous_use(establishment: Establishment, *, before: datetime.date) -> bool:
    """Whether our records show an authorised period of the establishment within the last
    APART_DAP_PREVIOUS_USE_MONTHS months before ``before`` (R5122-9)."""
    months = settings.APART_DAP_PREVIOUS_USE_MONTHS
    since = before - datetime.timedelta(days=round(months * 365.25 / 12))
    return Decision.objects.filter(
        request__establishment=establishment,
        outcome=Decision.Outcome.ACCEPTED,
        end_date__gte=since,
        start_date__lt=before,
    ).exists()


def silence_ends_on(submitted_at: datetime.datetime) -> datetime.date:
    """The day the administration's silence becomes an acceptance (R5122-4)."""
    received = timezone.localtime(submitted_at, PARIS).date()
    return received + datetime.timedelta(days=settings.APART_DAP_SILENCE_DAYS)
