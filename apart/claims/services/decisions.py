"""Agents' decisions on a transmitted claim (validated for payment or rejected), the
confirmation of a held payment, the export of the list to pay. One transaction each, audited."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.audit.transitions import change_status, check_move
from apart.claims.models import Claim
from apart.claims.services.drafts import ClaimError
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided
from apart.core.hooks import ApprovalRefused, fraud_checks
from apart.dap.document import french_number
from apart.establishments.bank import mask_iban
from apart.establishments.selectors import has_interest
from apart.establishments.services.fiche import current_bank_version
from apart.notifications.services import queue_email

DECISION_EMAIL = "claims/emails/decided"
NO_BANK_DETAILS = (
    "L'établissement n'a pas de coordonnées bancaires : la demande ne peut pas être validée."
)
BANK_CHANGED_SINCE_SHOWN = (
    "Les coordonnées bancaires de l'établissement ont changé depuis l'affichage de la page : "
    "vérifiez-les avant de confirmer."
)
CONFIRM_REASON_REQUIRED = "Indiquez ce que vous avez vérifié avant de confirmer le paiement."
NOT_VALIDATED = "Seule une demande validée peut être mise en paiement."
NOT_ON_HOLD = "Le paiement de cette demande n'est pas suspendu."


class ChangedMeanwhile(ClaimError):
    """The claim or its bank details changed since the agent's page was shown."""


def _decide(
    *,
    claim: Claim,
    actor: Account,
    validate: bool,
    reason: str,
    audit: AuditContext,
    bank_version_seen: int | None = None,
) -> Claim:
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("decision__request__establishment", "created_by")
            .get(pk=claim.pk)
        )
        decided = Claim.Status.VALIDATED if validate else Claim.Status.REJECTED
        already = AlreadyDecided(gettext("Cette demande d'indemnisation a déjà été traitée."))
        check_move(locked, decided, refusal=already)
        if concerns(actor, locked.created_by_id) or has_interest(
            actor, locked.decision.request.establishment
        ):
            raise ClaimError(OWN_DECISION)
        new: dict[str, Any] = {}
        if validate:
            try:
                fraud_checks().check_approval(subject=locked, actor=actor)
            except ApprovalRefused as refused:
                raise ClaimError(refused.message) from None
            bank = current_bank_version(establishment=locked.decision.request.establishment)
            if bank is None:
                raise ClaimError(NO_BANK_DETAILS)
            if bank_version_seen is not None and bank.pk != bank_version_seen:
                raise ChangedMeanwhile(BANK_CHANGED_SINCE_SHOWN)
            locked.validated_bank = bank
            new = {"bank_version": bank.number, "iban": mask_iban(bank.iban)}
        fraud_checks().close_on_decision(subject=locked, approved=validate, actor=actor)
        change_status(
            locked,
            decided,
            refusal=already,
            action=AuditAction.CLAIM_VALIDATED if validate else AuditAction.CLAIM_REJECTED,
            audit=audit,
            actor=actor,
            account=locked.created_by,
            fields={
                "decided_at": timezone.now(),
                "decided_by": actor,
                "rejection_reason": "" if validate else reason,
                "validated_bank": locked.validated_bank,
            },
            new={"total_amount": str(locked.total_amount), **new},
            reason=reason,
        )
        establishment = locked.decision.request.establishment
        queue_email(
            to=locked.created_by.email,
            template=DECISION_EMAIL,
            context={
                "reference": locked.reference,
                "denomination": establishment.denomination,
                "month": locked.month.strftime("%m/%Y"),
                "validated": validate,
                "amount": french_number(locked.total_amount),
                "reason": reason,
                "url": settings.APART_PUBLIC_URL.rstrip("/")
                + reverse("claims:detail", args=[locked.pk]),
            },
            account=locked.created_by,
        )
        return locked


def validate_claim(
    *,
    claim: Claim,
    actor: Account,
    bank_version_seen: int | None = None,
    audit: AuditContext = SYSTEM,
) -> Claim:
    """An agent validates a transmitted claim: it joins the list for payment, bound to the
    establishment's current bank details. ``bank_version_seen`` is the version the agent's page
    showed: when the bank details changed since, nothing is validated."""
    return _decide(
        claim=claim,
        actor=actor,
        validate=True,
        reason="",
        audit=audit,
        bank_version_seen=bank_version_seen,
    )


def confirm_bank_details(
    *,
    claim: Claim,
    actor: Account,
    bank_version_seen: int,
    reason: str,
    audit: AuditContext = SYSTEM,
) -> Claim:
    """An agent confirms that a validated claim whose payment is on hold (the bank details
    changed after its validation) is paid to the establishment's current bank details, the
    version the agent's page showed. Audited with the old and new IBAN masked and the reason."""
    reason = reason.strip()
    if not reason:
        raise ClaimError(CONFIRM_REASON_REQUIRED, field="reason")
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("decision__request__establishment", "created_by", "validated_bank")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.VALIDATED:
            raise ChangedMeanwhile(NOT_VALIDATED)
        bank = current_bank_version(establishment=locked.decision.request.establishment)
        if bank is None or bank.pk != bank_version_seen:
            raise ChangedMeanwhile(BANK_CHANGED_SINCE_SHOWN)
        previous = locked.validated_bank
        if previous is not None and previous.pk == bank.pk:
            raise ChangedMeanwhile(NOT_ON_HOLD)
        locked.validated_bank = bank
        locked.save(update_fields=["validated_bank", "updated_at"])
        record_event(
            action=AuditAction.CLAIM_BANK_DETAILS_CONFIRMED,
            actor=actor,
            account=locked.created_by,
            target=locked,
            old={
                "bank_version": previous.number if previous else None,
                "iban": mask_iban(previous.iban) if previous else "",
            },
            new={"bank_version": bank.number, "iban": mask_iban(bank.iban)},
            reason=reason,
            context=audit,
        )
        return locked


def reject_claim(
    *, claim: Claim, actor: Account, reason: str, audit: AuditContext = SYSTEM
) -> Claim:
    reason = reason.strip()
    if not reason:
        raise ClaimError(gettext("Indiquez le motif du rejet."), field="reason")
    return _decide(claim=claim, actor=actor, validate=False, reason=reason, audit=audit)


def record_payment_export(*, actor: Account, count: int, audit: AuditContext = SYSTEM) -> None:
    """The export of the claims to pay (bank details inside) is traced."""
    with transaction.atomic():
        record_event(
            action=AuditAction.CLAIM_PAYMENT_LIST_EXPORTED,
            actor=actor,
            account=actor,
            new={"claims": count},
            context=audit,
        )
