"""What a registration leaves for the agents: the snapshot of what was typed, and its audit row
(written by a registration of a new person and by a confirmed claim alike)."""

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.services import record_event
from apart.establishments.models import Establishment
from apart.establishments.services.spaces import EstablishmentDetails
from apart.habilitations.models import Habilitation
from apart.registration.models import RegistrationRequest
from apart.registration.people import PersonDetails


def record_registration(
    *,
    siret: str,
    details: EstablishmentDetails,
    person: PersonDetails,
    name_flagged: bool,
    prefilled_from_sirene: bool,
    case: str,
    account: Account,
    establishment: Establishment,
    habilitation: Habilitation,
    audit: AuditContext,
) -> RegistrationRequest:
    """The snapshot of what was typed (for the agents) and its audit row."""
    registration = RegistrationRequest.objects.create(
        ip_address=audit.ip_address,
        outcome=case,
        siret=siret,
        prefilled_from_sirene=prefilled_from_sirene,
        denomination=details.denomination,
        street_number=details.street_number,
        street_number_extension=details.street_number_extension,
        street_name=details.street_name,
        street_type=details.street_type,
        address_complement=details.address_complement,
        postal_code=details.postal_code,
        city=details.city,
        establishment_email=details.email,
        establishment_phone=details.phone,
        fax=details.fax,
        last_name=person.last_name,
        first_name=person.first_name,
        phone=person.phone,
        email=person.email,
        secret_question=person.secret_question,
        name_flagged=name_flagged,
        account=account,
        establishment=establishment,
        habilitation=habilitation,
    )
    record_event(
        action=AuditAction.REGISTRATION_SPACE_CREATED,
        actor=account,
        account=account,
        target=registration,
        new={
            "siret": siret,
            "case": case,
            "habilitation": habilitation.pk,
            "name_flagged": name_flagged,
        },
        context=audit,
    )
    return registration
