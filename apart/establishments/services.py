"""Changes of state of establishments (each in one transaction, with its audit row)."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from apart.audit.actions import AuditAction
from apart.audit.services import record_event
from apart.establishments.models import Establishment


@dataclass(frozen=True)
class EstablishmentDetails:
    """The "Information établissement" block of "Créer mon espace" step 2, cleaned."""

    denomination: str
    street_number: str
    street_number_extension: str
    street_name: str
    street_type: str
    address_complement: str
    postal_code: str
    city: str
    email: str
    phone: str
    fax: str


def register_establishment(
    *,
    siret: str,
    details: EstablishmentDetails,
    main_contact: Any,
    request: HttpRequest | None = None,
) -> Establishment:
    """Give the establishment its space, with ``main_contact`` as its main contact.

    One space per SIRET is a database constraint: a concurrent registration of the same SIRET
    makes this raise IntegrityError (the insert runs in a savepoint; callers tell the person
    that the establishment already has a space).
    """
    with transaction.atomic():
        establishment = Establishment.objects.create(
            siret=siret, main_contact=main_contact, **asdict(details)
        )
        record_event(
            action=AuditAction.ESTABLISHMENT_REGISTERED,
            actor=main_contact,
            account=main_contact,
            target=establishment,
            new={"siret": siret, "denomination": details.denomination},
            request=request,
        )
    return establishment
