"""Changes of state of habilitations. Each runs in one transaction, writes the status history
(HabilitationEvent) and an audit row, and queues its emails in that same transaction."""

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from apart.audit.services import client_ip, record_event
from apart.establishments.models import Establishment
from apart.habilitations.models import Application, Habilitation, HabilitationEvent


class HabilitationError(Exception):
    """A change refused by a business rule; ``message`` is French, for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HabilitationAlreadyLive(HabilitationError):
    """The account already has a pending or active habilitation to that application."""

    def __init__(self, habilitation: Habilitation) -> None:
        super().__init__(
            "Ce compte a déjà une habilitation en cours pour l'application "
            f"{habilitation.application.name}."
        )
        self.habilitation = habilitation


def _snapshot(habilitation: Habilitation) -> dict[str, Any]:
    return {
        "status": habilitation.status,
        "start_date": habilitation.start_date.isoformat() if habilitation.start_date else None,
        "end_date": habilitation.end_date.isoformat() if habilitation.end_date else None,
    }


def _log(
    habilitation: Habilitation,
    *,
    action: str,
    before: dict[str, Any],
    actor: Any,
    request: HttpRequest | None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Status history + audit row for one change (call inside the change's transaction)."""
    HabilitationEvent.objects.create(
        habilitation=habilitation,
        actor=actor if getattr(actor, "pk", None) else None,
        old_status=before.get("status") or "",
        new_status=habilitation.status,
        start_date=habilitation.start_date,
        end_date=habilitation.end_date,
        reason=reason,
    )
    record_event(
        action=f"habilitation.{action}",
        actor=actor,
        account=habilitation.account,
        target=habilitation,
        old=before,
        new={**_snapshot(habilitation), **(extra or {})},
        reason=reason,
        request=request,
    )


def request_habilitation(
    *,
    account: Any,
    establishment: Establishment | None,
    application_code: str = Application.APART,
    actor: Any = None,
    request: HttpRequest | None = None,
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
                    requested_ip=client_ip(request),
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
            action="requested",
            before={},
            actor=actor or account,
            request=request,
            extra={"sirets": [establishment.siret] if establishment else []},
        )
    return habilitation


def attach_establishment(
    *,
    habilitation: Habilitation,
    establishment: Establishment,
    actor: Any = None,
    request: HttpRequest | None = None,
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
            action="establishment_attached",
            before=before,
            actor=actor or habilitation.account,
            request=request,
            reason=f"Établissement rattaché : {establishment.siret}",
            extra={"siret": establishment.siret},
        )
