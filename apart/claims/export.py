"""The list of validated claims for payment, as CSV rows (written by apart.core.csv)."""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from apart.claims.models import Claim

RISK_LABELS = {"aucun": "Aucun", "faible": "Faible", "moyen": "Moyen", "eleve": "Élevé"}

HEADER = [
    "Référence DI",
    "Décision",
    "SIRET",
    "Établissement",
    "Mois",
    "Heures chômées",
    "Montant (€)",
    "Titulaire du compte",
    "IBAN",
    "BIC",
    "Validée le",
    "Niveau de risque",
    "Signaux",
]


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def payment_rows(claims: Iterable[Claim]) -> Iterator[list[str]]:
    yield HEADER
    for claim in claims:
        establishment = claim.decision.request.establishment
        bank = claim.validated_bank
        if bank is None:  # claims_to_pay() never yields one; a payment needs what was validated
            raise ValueError(f"{claim.reference} has no validated bank details")
        yield [
            claim.reference,
            claim.decision.reference,
            establishment.siret,
            establishment.denomination,
            claim.month.strftime("%m/%Y"),
            _amount(claim.total_hours),
            _amount(claim.total_amount),
            bank.account_holder,
            bank.iban,
            bank.bic,
            claim.decided_at.strftime("%d/%m/%Y") if claim.decided_at else "",
            RISK_LABELS.get(getattr(claim, "risk_level", None) or "aucun", ""),
            " | ".join(r["reason"] for r in getattr(claim, "risk_reasons", None) or []),
        ]
