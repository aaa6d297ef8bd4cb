"""Reads of the demandes d'indemnisation, through the establishments a person is a member of."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404

from apart.accounts.models import Account
from apart.claims.models import Claim, ClaimLine
from apart.dap.models import Decision
from apart.establishments.models import BankDetailsVersion, EstablishmentFiche
from apart.establishments.selectors import establishments_of


def _member_establishment_ids(account: Account) -> QuerySet[Any]:
    return establishments_of(account).order_by().values("pk")


def claims_of(account: Account) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(
            decision__request__establishment__in=_member_establishment_ids(account)
        )
        .select_related("decision__request__establishment")
        .order_by("-month", "-id")
    )


def claim_for(account: Account, pk: Any) -> Claim:
    try:
        return claims_of(account).get(pk=int(pk))
    except (Claim.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("demande d'indemnisation inconnue") from None


def line_for(account: Account, pk: Any) -> ClaimLine:
    try:
        return ClaimLine.objects.select_related("claim").get(
            pk=int(pk),
            claim__decision__request__establishment__in=_member_establishment_ids(account),
        )
    except (ClaimLine.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("salarié inconnu") from None


def hours_claimed(decision: Decision, *, excluding: Claim | None = None) -> Decimal:
    """Hours of the decision's claims that count: transmitted or validated ones."""
    claims = decision.claims.filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.VALIDATED])
    if excluding is not None:
        claims = claims.exclude(pk=excluding.pk)
    return claims.aggregate(total=Sum("total_hours"))["total"] or Decimal(0)


# -- Agents ------------------------------------------------------------------------------------
def _with_establishment(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related("decision__request__establishment__fiche", "created_by")


def claims_to_check() -> QuerySet[Claim]:
    return _with_establishment(Claim.objects.filter(status=Claim.Status.SUBMITTED)).order_by(
        "submitted_at", "id"
    )


# The payment goes to the version of the bank details the agent validated, and only while it is
# still the establishment's current one: a change after the validation holds the payment.
_CURRENT_BANK = F("decision__request__establishment__fiche__bank_version_id")


def claims_to_pay() -> QuerySet[Claim]:
    return (
        _with_establishment(Claim.objects.filter(status=Claim.Status.VALIDATED))
        .filter(validated_bank__isnull=False, validated_bank_id=_CURRENT_BANK)
        .select_related("validated_bank")
        .order_by("decided_at", "id")
    )


def claims_on_hold() -> QuerySet[Claim]:
    """Validated claims whose payment waits for an agent: the bank details changed after the
    validation (or the claim was validated before versions existed)."""
    return (
        _with_establishment(Claim.objects.filter(status=Claim.Status.VALIDATED))
        .filter(Q(validated_bank__isnull=True) | ~Q(validated_bank_id=_CURRENT_BANK))
        .select_related("validated_bank", "decision__request__establishment__fiche__bank_version")
        .order_by("decided_at", "id")
    )


def is_on_hold(claim: Claim) -> bool:
    return claims_on_hold().filter(pk=claim.pk).exists()


@dataclass(frozen=True)
class BankReview:
    """What an agent sees of a claim's bank details: the version submitted, the one validated,
    the establishment's current one, and whether the payment waits for a confirmation."""

    submitted: BankDetailsVersion | None
    validated: BankDetailsVersion | None
    current: BankDetailsVersion | None
    on_hold: bool
    recent_change: bool

    @property
    def holder_warning(self) -> bool:
        return self.current is not None and not self.current.holder_matches_sirene


def bank_review(claim: Claim) -> BankReview:
    fiche = (
        EstablishmentFiche.objects.filter(establishment_id=claim.decision.request.establishment_id)
        .select_related("bank_version__created_by")
        .first()
    )
    current = fiche.bank_version if fiche else None
    validated = claim.validated_bank
    on_hold = claim.status == Claim.Status.VALIDATED and (
        validated is None or current is None or validated.pk != current.pk
    )
    return BankReview(
        submitted=claim.submitted_bank,
        validated=validated,
        current=current,
        on_hold=on_hold,
        recent_change=claim.bank_review,
    )
