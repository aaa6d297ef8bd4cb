"""Changes of state of the demandes d'indemnisation: one function each, one transaction, its
audit row and its emails in that transaction."""

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from stdnum.fr import nir as nir_number

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.claims.allowance import line_allowance
from apart.claims.models import Claim, ClaimLine
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided, UserError
from apart.dap.document import french_number
from apart.dap.models import Decision
from apart.establishments.access import has_interest
from apart.establishments.bank import mask_iban
from apart.establishments.fiche import current_bank_version
from apart.establishments.models import BankDetailsVersion
from apart.fraud import services as fraud
from apart.habilitations.dates import french_date, paris_today
from apart.notifications.services import queue_email

MONTH_OUTSIDE_PERIOD = (
    "Le mois demandé doit être compris dans la période autorisée (du {start} au {end})."
)
MONTH_NOT_STARTED = "Le mois demandé n'est pas encore commencé."
ALREADY_CLAIMED = "Une demande d'indemnisation existe déjà pour ce mois au titre de cette décision."
NOT_ACCEPTED = "Une demande d'indemnisation se dépose au titre d'une décision d'autorisation."
DEADLINE_PASSED = (
    "La demande d'indemnisation doit être déposée dans un délai de {months} mois à compter de la "
    "fin de la période autorisée ({end}) : le délai a expiré le {last_day}."
)
HOURS_EXCEEDED = (
    "Les heures chômées déclarées ({claimed} h au total pour cette décision) dépassent les "
    "heures autorisées ({authorised} h)."
)
INVALID_NIR = "Le NIR (numéro de sécurité sociale) est invalide : vérifiez ses 15 chiffres."
DUPLICATE_NIR = "Ce salarié (même NIR) figure déjà dans la demande."
NO_LINES = "Ajoutez au moins un salarié avant de transmettre la demande."
NOT_DRAFT = "Cette demande a déjà été transmise : elle ne peut plus être modifiée."
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


class ClaimError(UserError):
    """A change of a demande d'indemnisation refused by a rule."""


class ChangedMeanwhile(ClaimError):
    """The claim or its bank details changed since the agent's page was shown."""


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


def clean_nir(raw: str) -> str:
    """The NIR's 15 characters (key checked by python-stdnum), or ClaimError."""
    try:
        return str(nir_number.validate(raw))
    except Exception:  # stdnum raises ValidationError subclasses (length, format, checksum)
        raise ClaimError(INVALID_NIR, field="nir") from None


def _hours_claimed(decision: Decision, *, excluding: Claim | None = None) -> Decimal:
    """Hours of the decision's claims that count: transmitted or validated ones."""
    claims = decision.claims.filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.VALIDATED])
    if excluding is not None:
        claims = claims.exclude(pk=excluding.pk)
    return claims.aggregate(total=Sum("total_hours"))["total"] or Decimal(0)


def _check_hours(claim: Claim, *, total_hours: Decimal) -> None:
    decision = claim.decision
    claimed = _hours_claimed(decision, excluding=claim) + total_hours
    if claimed > decision.hours_authorised:
        raise ClaimError(
            HOURS_EXCEEDED.format(
                claimed=french_number(claimed),
                authorised=french_number(decision.hours_authorised),
            ),
            field="hours",
        )


def create_claim(
    *,
    decision: Decision,
    month: datetime.date,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> Claim:
    """Open a draft claim for one month of an accepted decision's period."""
    month = month.replace(day=1)
    if decision.outcome != Decision.Outcome.ACCEPTED:
        raise ClaimError(NOT_ACCEPTED, field="decision")
    today = paris_today()
    late = deadline_error(decision, on=today)
    if late:
        raise ClaimError(late, field="decision")
    month_end = add_months(month, 1) - datetime.timedelta(days=1)
    if month > decision.end_date or month_end < decision.start_date:
        raise ClaimError(
            MONTH_OUTSIDE_PERIOD.format(
                start=french_date(decision.start_date), end=french_date(decision.end_date)
            ),
            field="month",
        )
    if month > today:
        raise ClaimError(MONTH_NOT_STARTED, field="month")
    try:
        with transaction.atomic():
            claim = Claim.objects.create(decision=decision, month=month, created_by=actor)
            record_event(
                action=AuditAction.CLAIM_CREATED,
                actor=actor,
                account=actor,
                target=claim,
                new={"decision": decision.pk, "month": month.isoformat()},
                context=audit,
            )
    except IntegrityError:
        raise ClaimError(ALREADY_CLAIMED, field="month") from None
    return claim


def bank_changed_recently(bank: BankDetailsVersion | None, *, before: datetime.datetime) -> bool:
    """The bank details were set or changed less than APART_FRAUD_BANK_CHANGE_DAYS before
    ``before`` (a first version without author, from before versions existed, does not count)."""
    if bank is None or bank.created_by_id is None:
        return False
    days = settings.APART_FRAUD_BANK_CHANGE_DAYS
    return before - bank.created_at < datetime.timedelta(days=days)


def _locked_draft(claim: Claim) -> Claim:
    locked = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("decision__request__establishment")
        .get(pk=claim.pk)
    )
    if locked.status != Claim.Status.DRAFT:
        raise ClaimError(NOT_DRAFT)
    return locked


def _refresh_totals(claim: Claim) -> None:
    totals = claim.lines.aggregate(hours=Sum("hours"), amount=Sum("amount"))
    claim.total_hours = totals["hours"] or Decimal(0)
    claim.total_amount = totals["amount"] or Decimal(0)
    claim.save(update_fields=["total_hours", "total_amount", "updated_at"])


def add_line(
    *,
    claim: Claim,
    last_name: str,
    first_name: str,
    nir: str,
    hours: Decimal,
    hourly_gross: Decimal,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> ClaimLine:
    """Add an employee to a draft; the allocation is computed now (apart.claims.allowance)."""
    nir = clean_nir(nir)
    with transaction.atomic():
        locked = _locked_draft(claim)
        if locked.lines.filter(nir=nir).exists():
            raise ClaimError(DUPLICATE_NIR, field="nir")
        _check_hours(locked, total_hours=locked.total_hours + hours)
        allowance = line_allowance(hours=hours, hourly_gross=hourly_gross)
        line = ClaimLine.objects.create(
            claim=locked,
            last_name=last_name,
            first_name=first_name,
            nir=nir,
            hours=hours,
            hourly_gross=hourly_gross,
            hourly_allowance=allowance.hourly,
            amount=allowance.amount,
        )
        _refresh_totals(locked)
        record_event(
            action=AuditAction.CLAIM_LINE_ADDED,
            actor=actor,
            account=actor,
            target=locked,
            new={
                "line": line.pk,
                "hours": str(hours),
                "hourly_gross": str(hourly_gross),
                "amount": str(allowance.amount),
            },
            context=audit,
        )
        return line


def remove_line(*, line: ClaimLine, actor: Account, audit: AuditContext = SYSTEM) -> None:
    with transaction.atomic():
        locked = _locked_draft(line.claim)
        record_event(
            action=AuditAction.CLAIM_LINE_REMOVED,
            actor=actor,
            account=actor,
            target=locked,
            old={"line": line.pk, "hours": str(line.hours), "amount": str(line.amount)},
            context=audit,
        )
        ClaimLine.objects.filter(pk=line.pk, claim=locked).delete()
        _refresh_totals(locked)


def submit_claim(*, claim: Claim, actor: Account, audit: AuditContext = SYSTEM) -> Claim:
    """Transmit a draft: it has lines, the deadline is not passed, and with the decision's other
    claims it stays within the hours authorised."""
    with transaction.atomic():
        locked = _locked_draft(claim)
        # Lock the decision too: two claims submitted at once cannot both take the last hours.
        Decision.objects.select_for_update().filter(pk=locked.decision_id).first()
        if not locked.lines.exists():
            raise ClaimError(NO_LINES)
        late = deadline_error(locked.decision, on=paris_today())
        if late:
            raise ClaimError(late)
        _check_hours(locked, total_hours=locked.total_hours)
        bank = current_bank_version(establishment=locked.decision.request.establishment)
        locked.status = Claim.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_bank = bank
        locked.bank_review = bank_changed_recently(bank, before=locked.submitted_at)
        locked.save(
            update_fields=[
                "status",
                "submitted_at",
                "submitted_bank",
                "bank_review",
                "updated_at",
            ]
        )
        record_event(
            action=AuditAction.CLAIM_SUBMITTED,
            actor=actor,
            account=actor,
            target=locked,
            old={"status": Claim.Status.DRAFT},
            new={
                "status": locked.status,
                "total_hours": str(locked.total_hours),
                "total_amount": str(locked.total_amount),
                "bank_version": bank.number if bank else None,
                "bank_review": locked.bank_review,
            },
            context=audit,
        )
        fraud.refresh_claim(claim=locked)
        return locked


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
        if locked.status != Claim.Status.SUBMITTED:
            raise AlreadyDecided("Cette demande d'indemnisation a déjà été traitée.")
        if concerns(actor, locked.created_by_id) or has_interest(
            actor, locked.decision.request.establishment
        ):
            raise ClaimError(OWN_DECISION)
        new: dict[str, Any] = {}
        if validate:
            try:
                fraud.check_approval(subject=locked, actor=actor)
            except fraud.FraudCheckError as refused:
                raise ClaimError(refused.message) from None
            bank = current_bank_version(establishment=locked.decision.request.establishment)
            if bank is None:
                raise ClaimError(NO_BANK_DETAILS)
            if bank_version_seen is not None and bank.pk != bank_version_seen:
                raise ChangedMeanwhile(BANK_CHANGED_SINCE_SHOWN)
            locked.validated_bank = bank
            new = {"bank_version": bank.number, "iban": mask_iban(bank.iban)}
        fraud.close_on_decision(subject=locked, approved=validate, actor=actor)
        locked.status = Claim.Status.VALIDATED if validate else Claim.Status.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.rejection_reason = "" if validate else reason
        locked.save(
            update_fields=[
                "status",
                "decided_at",
                "decided_by",
                "rejection_reason",
                "validated_bank",
                "updated_at",
            ]
        )
        record_event(
            action=AuditAction.CLAIM_VALIDATED if validate else AuditAction.CLAIM_REJECTED,
            actor=actor,
            account=locked.created_by,
            target=locked,
            old={"status": Claim.Status.SUBMITTED},
            new={"status": locked.status, "total_amount": str(locked.total_amount), **new},
            reason=reason,
            context=audit,
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
        raise ClaimError("Indiquez le motif du rejet.", field="reason")
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
