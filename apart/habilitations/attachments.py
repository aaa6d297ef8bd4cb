"""Requests to add an establishment to an active habilitation, decided by an agent.

The guide's case 2 ("Cette même habilitation va être rattachée à ce compte établissement") and
« DEMANDE CRÉATION DE COMPTE » while logged in no longer attach at once: the establishment waits
in an AttachmentRequest that an instructeur approves or refuses exactly like a first request
(queue, decision email). Until then it grants nothing: membership (establishments.selectors) reads
only the habilitation's ``establishments``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core.errors import AlreadyDecided
from apart.habilitations import emails
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.habilitations.services.common import (
    ALREADY_DECIDED,
    HabilitationError,
    _log,
    _snapshot,
    refuse_own_decision,
)

NOT_ACTIVE = (
    "L'habilitation du demandeur n'est plus active : le rattachement ne peut pas être approuvé. "
    "Refusez-le en indiquant au demandeur de présenter une nouvelle demande."
)

if TYPE_CHECKING:  # a type only: habilitations sit below establishments (docs/architecture.md)
    from apart.establishments.models import Establishment


def request_attachment(
    *,
    habilitation: Habilitation,
    establishment: Establishment,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> AttachmentRequest:
    """A pending request to add ``establishment`` to the active ``habilitation`` (audited)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                attachment = AttachmentRequest.objects.create(
                    habilitation=habilitation,
                    establishment=establishment,
                    requested_ip=audit.ip_address,
                )
        except IntegrityError:
            raise HabilitationError(
                "Une demande de rattachement est déjà en cours pour cet établissement."
            ) from None
        record_event(
            action=AuditAction.HABILITATION_ATTACHMENT_REQUESTED,
            actor=actor or habilitation.account,
            account=habilitation.account,
            target=habilitation,
            new={"siret": establishment.siret, "attachment": attachment.pk},
            context=audit,
        )
    return attachment


def pending_attachments(habilitation: Habilitation) -> list[AttachmentRequest]:
    return list(
        habilitation.attachment_requests.filter(status=AttachmentRequest.Status.PENDING)
        .select_related("establishment")
        .order_by("requested_at", "pk")
    )


def _locked(attachment: AttachmentRequest) -> AttachmentRequest:
    current = (
        AttachmentRequest.objects.select_for_update(of=("self",))
        .select_related("habilitation__account", "habilitation__application", "establishment")
        .get(pk=attachment.pk)
    )
    if current.status != AttachmentRequest.Status.PENDING:
        raise AlreadyDecided(gettext(ALREADY_DECIDED))
    return current


def approve_attachment(
    *,
    attachment: AttachmentRequest,
    actor: Account,
    comment: str = "",
    audit: AuditContext = SYSTEM,
) -> AttachmentRequest:
    """The establishment joins the active habilitation; its holder gets the decision email."""
    with transaction.atomic():
        current = _locked(attachment)
        habilitation = current.habilitation
        refuse_own_decision(actor=actor, account=habilitation.account_id)
        if habilitation.status != Habilitation.Status.ACTIVE:
            raise HabilitationError(NOT_ACTIVE)
        current.status = AttachmentRequest.Status.APPROVED
        current.decided_at, current.decided_by = timezone.now(), actor
        current.internal_comment = comment.strip()
        current.save()
        habilitation.establishments.add(current.establishment)
        siret = current.establishment.siret
        _log(
            habilitation,
            action=AuditAction.HABILITATION_ESTABLISHMENT_ATTACHED,
            before=_snapshot(habilitation),
            actor=actor,
            audit=audit,
            reason=f"Rattachement approuvé : {siret}",
            extra={"siret": siret, "attachment": current.pk},
        )
        emails.queue_attachment_decided(current)
    return current


def reject_attachment(
    *,
    attachment: AttachmentRequest,
    actor: Account,
    reason: str,
    internal_comment: str = "",
    audit: AuditContext = SYSTEM,
) -> AttachmentRequest:
    """Refuse the attachment: ``reason`` is emailed to the holder; the establishment stays
    outside the habilitation (it grants nothing to anyone)."""
    if not reason.strip():
        raise HabilitationError(
            "Indiquez le motif du refus, il sera communiqué au demandeur.", field="reason"
        )
    with transaction.atomic():
        current = _locked(attachment)
        habilitation = current.habilitation
        refuse_own_decision(actor=actor, account=habilitation.account_id)
        current.status = AttachmentRequest.Status.REJECTED
        current.rejection_reason = reason.strip()
        current.internal_comment = internal_comment.strip()
        current.decided_at, current.decided_by = timezone.now(), actor
        current.save()
        record_event(
            action=AuditAction.HABILITATION_ATTACHMENT_REJECTED,
            actor=actor,
            account=habilitation.account,
            target=habilitation,
            old={"attachment": current.pk, "status": AttachmentRequest.Status.PENDING},
            new={"siret": current.establishment.siret, "status": current.status},
            reason=reason,
            context=audit,
        )
        emails.queue_attachment_decided(current)
    return current
