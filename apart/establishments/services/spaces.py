"""A SIRET gets its space: at registration, or « DEMANDE CRÉATION DE COMPTE » while logged in."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.establishments.models import Establishment
from apart.establishments.selectors import space_already_exists
from apart.establishments.services.rules import AGENT_NOT_EMPLOYER, MembershipError
from apart.habilitations.attachments import request_attachment
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import live_habilitation


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
    audit: AuditContext = SYSTEM,
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
            context=audit,
        )
    return establishment


# -- Another SIRET while logged in ("DEMANDE CRÉATION DE COMPTE") -------------------------------
def add_establishment(
    *,
    account: Account,
    siret: str,
    details: EstablishmentDetails,
    audit: AuditContext = SYSTEM,
) -> Establishment:
    """« DEMANDE CRÉATION DE COMPTE » while logged in: the establishment gets its space with
    ``account`` as main contact, and a request to add it to the account's active habilitation
    that an agent decides like a first request (queue, decision email). Until then it grants
    nothing (listed « en attente de validation »). MembershipError when the SIRET already has a
    space (also when a concurrent request created it first)."""

    if account.role != Account.Role.EMPLOYER:
        raise MembershipError(AGENT_NOT_EMPLOYER)
    habilitation = live_habilitation(account=account)
    if habilitation is None or habilitation.status != Habilitation.Status.ACTIVE:
        raise MembershipError(
            gettext("Votre compte n'a pas d'habilitation active à l'extranet Activité Partielle.")
        )
    try:
        with transaction.atomic():
            establishment = register_establishment(
                siret=siret, details=details, main_contact=account, audit=audit
            )
            request_attachment(
                habilitation=habilitation,
                establishment=establishment,
                actor=account,
                audit=audit,
            )
    except IntegrityError:
        raise MembershipError(space_already_exists()) from None
    return establishment
