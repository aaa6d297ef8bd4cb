"""Decisions on a DAP: taken in instruction, accepted or refused by an agent, or accepted
implicitly after the silence period. One transaction each, with its audit row and the
employer's email."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.transitions import change_status, check_move
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided
from apart.core.hooks import ApprovalRefused, fraud_checks
from apart.dap.document import french_number
from apart.dap.models import AuthorisationRequest, Decision
from apart.dap.selectors import silence_ends_on
from apart.dap.services.drafts import DapError
from apart.establishments.selectors import has_interest
from apart.habilitations.dates import french_date, paris_today
from apart.notifications.services import queue_email

DECISION_EMAIL = "dap/emails/decision"
IMPLICIT_REASON = (
    "Acceptation implicite : aucune décision n'a été notifiée dans un délai de {days} jours à "
    "compter de la réception de la demande (article R5122-4 du Code du travail)."
)
ALREADY_DECIDED = gettext_noop("Une décision a déjà été prise sur cette demande.")
DEFAULT_ACCEPT_REASON = (
    "La demande est conforme aux articles R5122-1 et suivants du Code du travail."
)


class FraudRefusal(DapError):
    """An acceptance refused by the fraud rules (signals to examine, four eyes)."""


def start_instruction(
    *, dap: AuthorisationRequest, actor: Account, audit: AuditContext = SYSTEM
) -> AuthorisationRequest:
    """An agent takes a submitted DAP in instruction (status « En cours d'instruction »)."""
    with transaction.atomic():
        locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
        taken = AuthorisationRequest.Status.UNDER_INSTRUCTION
        refused = AlreadyDecided(gettext("Cette demande n'est plus en attente d'instruction."))
        if locked.status != AuthorisationRequest.Status.SUBMITTED:
            raise refused
        refuse_own_decision(actor=actor, dap=locked)
        change_status(
            locked,
            taken,
            refusal=refused,
            action=AuditAction.DAP_INSTRUCTION_STARTED,
            audit=audit,
            actor=actor,
            account=locked.created_by,
            fields={"instructed_by": actor},
        )
        return locked


def refuse_own_decision(*, actor: Account | None, dap: AuthorisationRequest) -> None:
    """Nobody decides on a request of his own: its author, or a member of its establishment."""
    if actor is None:  # the implicit decision after the silence period
        return
    if concerns(actor, dap.created_by_id) or has_interest(actor, dap.establishment):
        raise DapError(OWN_DECISION)


def _record_decision(
    *,
    dap_pk: int,
    outcome: str,
    reason: str,
    hours: Decimal,
    actor: Account | None,
    decision_date: datetime.date,
    audit: AuditContext,
) -> Decision:
    """Inside the caller's transaction: lock the DAP, check it is still open, write the
    decision, the new status, the audit row and the email."""
    dap = (
        AuthorisationRequest.objects.select_for_update(of=("self",))
        .select_related("establishment", "created_by")
        .get(pk=dap_pk)
    )
    accepted = outcome == Decision.Outcome.ACCEPTED
    decided = (
        AuthorisationRequest.Status.ACCEPTED if accepted else AuthorisationRequest.Status.REFUSED
    )
    check_move(dap, decided, refusal=AlreadyDecided(gettext(ALREADY_DECIDED)))
    refuse_own_decision(actor=actor, dap=dap)
    if accepted and actor is not None:
        try:
            fraud_checks().check_approval(subject=dap, actor=actor)
        except ApprovalRefused as refused:
            raise FraudRefusal(refused.message) from None
    fraud_checks().close_on_decision(subject=dap, approved=accepted, actor=actor)
    try:
        with transaction.atomic():  # savepoint: the constraint is the last word on races
            decision = Decision.objects.create(
                request=dap,
                outcome=outcome,
                implicit=actor is None,
                decided_by=actor,
                decision_date=decision_date,
                reason=reason,
                start_date=dap.start_date,
                end_date=dap.end_date,
                hours_authorised=hours if accepted else Decimal(0),
            )
    except IntegrityError:
        raise AlreadyDecided(gettext(ALREADY_DECIDED)) from None
    change_status(
        dap,
        decided,
        refusal=AlreadyDecided(gettext(ALREADY_DECIDED)),
        action=(
            AuditAction.DAP_IMPLICITLY_ACCEPTED
            if actor is None
            else AuditAction.DAP_ACCEPTED
            if accepted
            else AuditAction.DAP_REFUSED
        ),
        audit=audit,
        actor=actor,
        account=dap.created_by,
        new={"decision": decision.pk, "hours_authorised": str(decision.hours_authorised)},
        reason=reason,
    )
    queue_email(
        to=dap.created_by.email,
        template=DECISION_EMAIL,
        context={
            "denomination": dap.establishment.denomination,
            "siret": dap.establishment.siret,
            "reference": dap.reference,
            "accepted": accepted,
            "implicit": decision.implicit,
            "decision_date": french_date(decision.decision_date),
            "start_date": french_date(decision.start_date),
            "end_date": french_date(decision.end_date),
            "hours": french_number(decision.hours_authorised),
            "reason": reason,
            "url": settings.APART_PUBLIC_URL.rstrip("/") + reverse("dap:decisions"),
        },
        account=dap.created_by,
    )
    return decision


def decide_dap(
    *,
    dap: AuthorisationRequest,
    actor: Account,
    accept: bool,
    reason: str,
    hours_authorised: Decimal | None = None,
    audit: AuditContext = SYSTEM,
) -> Decision:
    """An instructeur accepts (up to the hours requested) or refuses (with its reason) a
    submitted DAP. Of two agents deciding at once, the first wins; the other gets
    AlreadyDecided."""
    reason = reason.strip()
    if not accept and not reason:
        raise DapError(gettext("Indiquez le motif du refus."), field="reason")
    hours = dap.hours_requested if hours_authorised is None else hours_authorised
    if accept and not (0 < hours <= dap.hours_requested):
        raise DapError(
            gettext(
                "Les heures autorisées doivent être positives et ne pas dépasser les heures "
                "demandées ({hours})."
            ).format(hours=dap.hours_requested),
            field="hours_authorised",
        )
    with transaction.atomic():
        return _record_decision(
            dap_pk=dap.pk,
            outcome=Decision.Outcome.ACCEPTED if accept else Decision.Outcome.REFUSED,
            reason=reason or DEFAULT_ACCEPT_REASON,
            hours=hours,
            actor=actor,
            decision_date=paris_today(),
            audit=audit,
        )


def record_implicit_decisions(*, now: datetime.datetime | None = None) -> int:
    """Accept every DAP left without a decision APART_DAP_SILENCE_DAYS days after its receipt.
    Idempotent (a DAP is decided once); each DAP in its own transaction. Returns how many."""
    now = now or timezone.now()
    today = paris_today(now)
    days = settings.APART_DAP_SILENCE_DAYS
    # Coarse filter in SQL (a day of margin for time zones), exact day check in Python.
    candidates = AuthorisationRequest.objects.filter(
        status__in=AuthorisationRequest.OPEN_STATUSES,
        submitted_at__lte=now - datetime.timedelta(days=days - 1),
    ).values_list("pk", "submitted_at", "hours_requested")
    recorded = 0
    for pk, submitted_at, hours in list(candidates):  # read first: one transaction each
        if submitted_at is None:  # excluded by a constraint; for the type checker
            continue
        ends_on = silence_ends_on(submitted_at)
        if ends_on > today:
            continue
        try:
            with transaction.atomic():
                _record_decision(
                    dap_pk=pk,
                    outcome=Decision.Outcome.ACCEPTED,
                    reason=IMPLICIT_REASON.format(days=days),
                    hours=hours,
                    actor=None,
                    decision_date=ends_on,
                    audit=SYSTEM,
                )
        except AlreadyDecided:
            continue  # an agent decided meanwhile
        recorded += 1
    return recorded
