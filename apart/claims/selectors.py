"""Reads of the demandes d'indemnisation, through the establishments a person is a member of."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from apart.claims.models import Claim, ClaimLine
from apart.establishments.access import establishments_of


def _member_establishment_ids(account: Any) -> QuerySet[Any]:
    return establishments_of(account).order_by().values("pk")


def claims_of(account: Any) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(
            decision__request__establishment__in=_member_establishment_ids(account)
        )
        .select_related("decision__request__establishment")
        .order_by("-month", "-id")
    )


def claim_for(account: Any, pk: Any) -> Claim:
    try:
        return claims_of(account).get(pk=int(pk))
    except (Claim.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("demande d'indemnisation inconnue") from None


def line_for(account: Any, pk: Any) -> ClaimLine:
    try:
        return ClaimLine.objects.select_related("claim").get(
            pk=int(pk),
            claim__decision__request__establishment__in=_member_establishment_ids(account),
        )
    except (ClaimLine.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("salarié inconnu") from None


# -- Agents ------------------------------------------------------------------------------------
def _with_establishment(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related("decision__request__establishment__fiche", "created_by")


def claims_to_check() -> QuerySet[Claim]:
    return _with_establishment(Claim.objects.filter(status=Claim.Status.SUBMITTED)).order_by(
        "submitted_at", "id"
    )


def claims_to_pay() -> QuerySet[Claim]:
    return _with_establishment(Claim.objects.filter(status=Claim.Status.VALIDATED)).order_by(
        "decided_at", "id"
    )
