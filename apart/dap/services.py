"""Changes of state of the DAP and their decisions. Each one is one function, one transaction,
its audit row, and the emails it causes queued in that same transaction."""

import datetime
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.decisions import OWN_DECISION, concerns
from apart.core.errors import AlreadyDecided, UserError
from apart.dap import rules
from apart.dap.document import french_number
from apart.dap.files import AttachmentError, check_pdf, random_name
from apart.dap.models import Attachment, AuthorisationRequest, Decision
from apart.establishments.access import has_interest
from apart.establishments.completeness import fiche_of, is_complete
from apart.establishments.models import Establishment
from apart.fraud import services as fraud
from apart.fraud.services import refresh_dap
from apart.habilitations.dates import PARIS, french_date, paris_today
from apart.notifications.services import queue_email

logger = logging.getLogger(__name__)

DRAFT_FIELDS = (
    "reason",
    "reason_details",
    "start_date",
    "end_date",
    "employees",
    "hours_requested",
    "kind",
    "cse_consulted_on",
    "cse_opinion",
    "previous_use",
    "commitments",
)
DECISION_EMAIL = "dap/emails/decision"
IMPLICIT_REASON = (
    "Acceptation implicite : aucune décision n'a été notifiée dans un délai de {days} jours à "
    "compter de la réception de la demande (article R5122-4 du Code du travail)."
)
ALREADY_SUBMITTED = "Cette demande a déjà été transmise : elle ne peut plus être modifiée."
DEFAULT_ACCEPT_REASON = (
    "La demande est conforme aux articles R5122-1 et suivants du Code du travail."
)

__all__ = ["AttachmentError", "DapError", "DapRuleError"]


class DapError(UserError):
    """A change of a DAP refused by a rule."""


class DapRuleError(DapError):
    """Rules broken by the values of a DAP: ``errors`` maps a field name to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = dict(errors)


class FraudRefusal(DapError):
    """An acceptance refused by the fraud rules (signals to examine, four eyes)."""


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


def _rule_errors(
    establishment: Establishment, values: Mapping[str, Any], *, on: datetime.date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values["end_date"] < values["start_date"]:
        errors["end_date"] = rules.END_BEFORE_START
    deadline = rules.deposit_deadline_error(
        reason=values["reason"], start_date=values["start_date"], on=on
    )
    if deadline:
        errors["start_date"] = deadline
    workforce = fiche_of(establishment).workforce or 0
    cse = rules.cse_error(
        workforce=workforce,
        consulted_on=values.get("cse_consulted_on"),
        opinion=values.get("cse_opinion", ""),
        on=on,
    )
    if cse:
        errors["cse_consulted_on"] = cse
    commitments = rules.commitments_error(
        previous_use=bool(values.get("previous_use")), commitments=values.get("commitments", "")
    )
    if commitments:
        errors["commitments"] = commitments
    return errors


def _check_establishment(establishment: Establishment) -> None:
    if not is_complete(establishment):
        raise DapError(rules.FICHE_INCOMPLETE)


def _snapshot(dap: AuthorisationRequest) -> dict[str, Any]:
    return {name: _plain(getattr(dap, name)) for name in DRAFT_FIELDS}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def save_draft(
    *,
    establishment: Establishment,
    values: Mapping[str, Any],
    actor: Account,
    dap: AuthorisationRequest | None = None,
    audit: AuditContext = SYSTEM,
) -> AuthorisationRequest:
    """Create a DAP draft of ``establishment`` (whose fiche must be complète) or change
    ``dap``'s, a draft. The rules are checked now too: they only get stricter as days pass."""
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not DAP fields: {sorted(unknown)}")
    _check_establishment(establishment)
    on = paris_today()
    values = {**values}
    if recorded_previous_use(establishment, before=values["start_date"]):
        values["previous_use"] = True
    errors = _rule_errors(establishment, values, on=on)
    if errors:
        raise DapRuleError(errors)
    workforce = fiche_of(establishment).workforce or 0
    with transaction.atomic():
        if dap is None:
            dap = AuthorisationRequest(
                establishment=establishment, created_by=actor, workforce=workforce, **values
            )
            dap.save()
            record_event(
                action=AuditAction.DAP_CREATED,
                actor=actor,
                account=actor,
                target=dap,
                new=_snapshot(dap),
                context=audit,
            )
            return dap
        locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
        if locked.status != AuthorisationRequest.Status.DRAFT:
            raise DapError(ALREADY_SUBMITTED)
        old = _snapshot(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.workforce = workforce
        locked.save()
        new = _snapshot(locked)
        changed = {k: v for k, v in new.items() if old[k] != v}
        if changed:
            record_event(
                action=AuditAction.DAP_DRAFT_UPDATED,
                actor=actor,
                account=actor,
                target=locked,
                old={k: old[k] for k in changed},
                new=changed,
                context=audit,
            )
        return locked


def submit_dap(
    *, dap: AuthorisationRequest, actor: Account, audit: AuditContext = SYSTEM
) -> AuthorisationRequest:
    """Transmit a draft: the fiche must still be complète and the rules met on this day."""
    with transaction.atomic():
        locked = (
            AuthorisationRequest.objects.select_for_update(of=("self",))
            .select_related("establishment__fiche")
            .get(pk=dap.pk)
        )
        if locked.status != AuthorisationRequest.Status.DRAFT:
            raise DapError("Cette demande a déjà été transmise.")
        _check_establishment(locked.establishment)
        values = {name: getattr(locked, name) for name in DRAFT_FIELDS}
        errors = _rule_errors(locked.establishment, values, on=paris_today())
        if errors:
            raise DapRuleError(errors)
        locked.status = AuthorisationRequest.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        record_event(
            action=AuditAction.DAP_SUBMITTED,
            actor=actor,
            account=actor,
            target=locked,
            old={"status": AuthorisationRequest.Status.DRAFT},
            new={"status": locked.status},
            context=audit,
        )
        refresh_dap(dap=locked)
        return locked


def start_instruction(
    *, dap: AuthorisationRequest, actor: Account, audit: AuditContext = SYSTEM
) -> AuthorisationRequest:
    """An agent takes a submitted DAP in instruction (status « En cours d'instruction »)."""
    with transaction.atomic():
        locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
        if locked.status != AuthorisationRequest.Status.SUBMITTED:
            raise AlreadyDecided("Cette demande n'est plus en attente d'instruction.")
        refuse_own_decision(actor=actor, dap=locked)
        locked.status = AuthorisationRequest.Status.UNDER_INSTRUCTION
        locked.instructed_by = actor
        locked.save(update_fields=["status", "instructed_by", "updated_at"])
        record_event(
            action=AuditAction.DAP_INSTRUCTION_STARTED,
            actor=actor,
            account=locked.created_by,
            target=locked,
            old={"status": AuthorisationRequest.Status.SUBMITTED},
            new={"status": locked.status},
            context=audit,
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
    if dap.status not in AuthorisationRequest.OPEN_STATUSES:
        raise AlreadyDecided("Une décision a déjà été prise sur cette demande.")
    refuse_own_decision(actor=actor, dap=dap)
    accepted = outcome == Decision.Outcome.ACCEPTED
    if accepted and actor is not None:
        try:
            fraud.check_approval(subject=dap, actor=actor)
        except fraud.FraudCheckError as refused:
            raise FraudRefusal(refused.message) from None
    fraud.close_on_decision(subject=dap, approved=accepted, actor=actor)
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
        raise AlreadyDecided("Une décision a déjà été prise sur cette demande.") from None
    old_status = dap.status
    dap.status = (
        AuthorisationRequest.Status.ACCEPTED if accepted else AuthorisationRequest.Status.REFUSED
    )
    dap.save(update_fields=["status", "updated_at"])
    record_event(
        action=(
            AuditAction.DAP_IMPLICITLY_ACCEPTED
            if actor is None
            else AuditAction.DAP_ACCEPTED
            if accepted
            else AuditAction.DAP_REFUSED
        ),
        actor=actor,
        account=dap.created_by,
        target=dap,
        old={"status": old_status},
        new={
            "status": dap.status,
            "decision": decision.pk,
            "hours_authorised": str(decision.hours_authorised),
        },
        reason=reason,
        context=audit,
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
        raise DapError("Indiquez le motif du refus.", field="reason")
    hours = dap.hours_requested if hours_authorised is None else hours_authorised
    if accept and not (0 < hours <= dap.hours_requested):
        raise DapError(
            "Les heures autorisées doivent être positives et ne pas dépasser les heures "
            f"demandées ({dap.hours_requested}).",
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


def silence_ends_on(submitted_at: datetime.datetime) -> datetime.date:
    """The day the administration's silence becomes an acceptance (R5122-4)."""
    received = timezone.localtime(submitted_at, PARIS).date()
    return received + datetime.timedelta(days=settings.APART_DAP_SILENCE_DAYS)


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


def add_attachment(
    *,
    dap: AuthorisationRequest,
    upload: UploadedFile,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> Attachment:
    """Join a PDF to a draft (checked by size and by its first bytes, stored under a random
    name; the name given by the person is only shown)."""
    original_name = check_pdf(upload)
    stored = ""
    try:
        with transaction.atomic():
            locked = AuthorisationRequest.objects.select_for_update().get(pk=dap.pk)
            if locked.status != AuthorisationRequest.Status.DRAFT:
                raise AttachmentError("Les pièces jointes se modifient avant la transmission.")
            if locked.attachments.count() >= settings.APART_DAP_MAX_ATTACHMENTS:
                raise AttachmentError(
                    f"Une demande comporte au plus {settings.APART_DAP_MAX_ATTACHMENTS} pièces "
                    "jointes."
                )
            upload.seek(0)
            attachment = Attachment(
                request=locked,
                original_name=original_name,
                size=upload.size or 0,
                uploaded_by=actor,
            )
            attachment.file.save(random_name(), upload, save=False)
            stored = attachment.file.name or ""
            attachment.save()
            record_event(
                action=AuditAction.DAP_ATTACHMENT_ADDED,
                actor=actor,
                account=actor,
                target=locked,
                new={"attachment": attachment.pk, "name": original_name, "size": attachment.size},
                context=audit,
            )
    except BaseException:
        if stored:  # the row was rolled back: no file without its row
            attachment.file.storage.delete(stored)
        raise
    return attachment


def remove_attachment(
    *, attachment: Attachment, actor: Account, audit: AuditContext = SYSTEM
) -> None:
    """Remove a PDF from a draft (the file goes once the transaction has committed)."""
    with transaction.atomic():
        locked = AuthorisationRequest.objects.select_for_update().get(pk=attachment.request_id)
        if locked.status != AuthorisationRequest.Status.DRAFT:
            raise AttachmentError("Les pièces jointes se modifient avant la transmission.")
        storage, name = attachment.file.storage, attachment.file.name
        record_event(
            action=AuditAction.DAP_ATTACHMENT_REMOVED,
            actor=actor,
            account=actor,
            target=locked,
            old={"attachment": attachment.pk, "name": attachment.original_name},
            context=audit,
        )
        attachment.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))
