"""The employer's demande d'indemnisation: a draft for one month of an authorisation, its
employees, its transmission. One transaction each, with its audit row."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from stdnum.fr import nir as nir_number

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.audit.transitions import change_status
from apart.claims.allowance import line_allowance
from apart.claims.models import Claim, ClaimLine
from apart.claims.rules import add_months, bank_changed_recently, deadline_error
from apart.claims.selectors import hours_claimed
from apart.core.errors import UserError
from apart.core.hooks import fraud_checks
from apart.dap.document import french_number
from apart.dap.models import Decision
from apart.establishments.services.fiche import current_bank_version
from apart.habilitations.dates import french_date, paris_today

MONTH_OUTSIDE_PERIOD = (
    "Le mois demandé doit être compris dans la période autorisée (du {start} au {end})."
)
MONTH_NOT_STARTED = "Le mois demandé n'est pas encore commencé."
ALREADY_CLAIMED = "Une demande d'indemnisation existe déjà pour ce mois au titre de cette décision."
NOT_ACCEPTED = "Une demande d'indemnisation se dépose au titre d'une décision d'autorisation."
HOURS_EXCEEDED = (
    "Les heures chômées déclarées ({claimed} h au total pour cette décision) dépassent les "
    "heures autorisées ({authorised} h)."
)
INVALID_NIR = "Le NIR (numéro de sécurité sociale) est invalide : vérifiez ses 15 chiffres."
DUPLICATE_NIR = "Ce salarié (même NIR) figure déjà dans la demande."
NO_LINES = "Ajoutez au moins un salarié avant de transmettre la demande."
NOT_DRAFT = "Cette demande a déjà été transmise : elle ne peut plus être modifiée."


class ClaimError(UserError):
    """A change of a demande d'indemnisation refused by a rule."""


def clean_nir(raw: str) -> str:
    """The NIR's 15 characters (key checked by python-stdnum), or ClaimError."""
    try:
        return str(nir_number.validate(raw))
    except Exception:  # stdnum raises ValidationError subclasses (length, format, checksum)
        raise ClaimError(INVALID_NIR, field="nir") from None


def _check_hours(claim: Claim, *, total_hours: Decimal) -> None:
    decision = claim.decision
    claimed = hours_claimed(decision, excluding=claim) + total_hours
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
        submitted_at = timezone.now()
        review = bank_changed_recently(bank, before=submitted_at)
        change_status(
            locked,
            Claim.Status.SUBMITTED,
            refusal=ClaimError(NOT_DRAFT),
            action=AuditAction.CLAIM_SUBMITTED,
            audit=audit,
            actor=actor,
            account=actor,
            fields={"submitted_at": submitted_at, "submitted_bank": bank, "bank_review": review},
            new={
                "total_hours": str(locked.total_hours),
                "total_amount": str(locked.total_amount),
                "bank_version": bank.number if bank else None,
                "bank_review": review,
            },
        )
        fraud_checks().assess(subject=locked)
        return locked
