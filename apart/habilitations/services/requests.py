"""What the holder asks: a habilitation (with its first establishment), one more establishment
on a pending request, the renewal. One transaction each, with its history and audit row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.habilitations.models import Application, Habilitation
from apart.habilitations.services.common import (
    HabilitationAlreadyLive,
    HabilitationError,
    _log,
    _snapshot,
)

if TYPE_CHECKING:  # a type only: habilitations sit below establishments (docs/architecture.md)
    from apart.establishments.models import Establishment


def request_habilitation(
    *,
    account: Account,
    establishment: Establishment | None,
    application_code: str = Application.APART,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> Habilitation:
    """Create a pending habilitation request of ``account`` to the application.

    One live (pending or active) habilitation per account and application: if one exists, raise
    HabilitationAlreadyLive (callers attach the establishment to it instead, the guide's case 2).
    Safe inside the caller's transaction (the insert runs in a savepoint).
    """
    application = Application.objects.get(code=application_code)
    with transaction.atomic():
        try:
            with transaction.atomic():
                habilitation = Habilitation.objects.create(
                    account=account,
                    application=application,
                    status=Habilitation.Status.PENDING,
                    requested_ip=audit.ip_address,
                )
        except IntegrityError:
            live = Habilitation.objects.select_related("application").get(
                account=account,
                application=application,
                status__in=Habilitation.LIVE_STATUSES,
            )
            raise HabilitationAlreadyLive(live) from None
        if establishment is not None:
            habilitation.establishments.add(establishment)
        _log(
            habilitation,
            action=AuditAction.HABILITATION_REQUESTED,
            before={},
            actor=actor or account,
            audit=audit,
            extra={"sirets": [establishment.siret] if establishment else []},
        )
    return habilitation


def attach_establishment(
    *,
    habilitation: Habilitation,
    establishment: Establishment,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> None:
    """Link one more establishment to an existing habilitation (the guide's case 2: "Cette même
    habilitation va être rattachée à ce compte établissement"). Attaching twice changes nothing."""
    with transaction.atomic():
        if habilitation.establishments.filter(pk=establishment.pk).exists():
            return
        habilitation.establishments.add(establishment)
        before = _snapshot(habilitation)
        _log(
            habilitation,
            action=AuditAction.HABILITATION_ESTABLISHMENT_ATTACHED,
            before=before,
            actor=actor or habilitation.account,
            audit=audit,
            reason=f"Établissement rattaché : {establishment.siret}",
            extra={"siret": establishment.siret},
        )


def request_renewal(
    *, account: Account, actor: Account | None = None, audit: AuditContext = SYSTEM
) -> Habilitation:
    """The holder asks to renew the APART habilitation.

    Active: the request is flagged on it (one live habilitation per account and application) and
    agents extend it. Expired, revoked or rejected: a new pending request for the same
    establishments. Pending: nothing to renew.
    """
    with transaction.atomic():
        latest = (
            Habilitation.objects.select_for_update()
            .filter(account=account, application__code=Application.APART)
            .order_by("-requested_at", "-id")
            .first()
        )
        if latest is None:
            raise HabilitationError(gettext("Vous n'avez pas d'habilitation à renouveler."))
        if latest.status == Habilitation.Status.PENDING:
            raise HabilitationError(
                gettext("Votre demande d'habilitation est en cours de traitement.")
            )
        if latest.status == Habilitation.Status.ACTIVE:
            if latest.renewal_requested_at is None:
                before = _snapshot(latest)
                latest.renewal_requested_at = timezone.now()
                latest.save(update_fields=["renewal_requested_at", "updated_at"])
                _log(
                    latest,
                    action=AuditAction.HABILITATION_RENEWAL_REQUESTED,
                    before=before,
                    actor=actor or account,
                    audit=audit,
                    reason="Demande de renouvellement",
                )
            return latest
        establishments = list(latest.establishments.order_by("pk"))
        renewal = request_habilitation(
            account=account,
            establishment=establishments[0] if establishments else None,
            actor=actor,
            audit=audit,
        )
        renewal.establishments.add(*establishments[1:])
        return renewal
