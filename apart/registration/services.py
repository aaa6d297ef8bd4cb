"""Créer mon espace: the guide's cases, decided by the person's email, in one transaction.

Whatever email is typed, the anonymous visitor gets the same answer (case 1's message) and no
name, so the page tells nobody who holds an address (and a known email costs the same time).

- Case 1, new person: an ASP account (generated login, temporary password), the establishment's
  space with this person as main contact, a pending APART habilitation request, and the two
  emails "Identifiant de connexion ..." and "Mot de passe de connexion ...".
- An existing employer account (the guide's cases 2 and 3, and a pending request): nothing is
  attached yet. A SiretClaim keeps what was typed and the account's own address receives a
  single-use link; its holder confirms (apart.registration.claims), and only then does the
  SIRET become a request that an agent decides.
- An agent's address: at the agents' domains it is refused next to the field (whether an agent
  holds it or not); elsewhere nothing is created and the address is told by email.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from apart.accounts.emails import queue_credentials, queue_login_email
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email, reserved_for_agents
from apart.accounts.services import (
    EmailAlreadyUsedError,
    create_account,
    spend_account_creation_work,
)
from apart.audit.context import SYSTEM, AuditContext
from apart.core.errors import UserError
from apart.core.hooks import fraud_checks
from apart.establishments.selectors import has_space, space_already_exists
from apart.establishments.services.spaces import EstablishmentDetails, register_establishment
from apart.habilitations.services import (
    request_habilitation,
)
from apart.proconnect.services import LinkProof, link_identity
from apart.proconnect.session import PendingIdentity
from apart.registration.claims import open_claim, warn_agent
from apart.registration.messages import AGENT_EMAIL, REQUEST_SENT
from apart.registration.models import RegistrationRequest
from apart.registration.people import PersonDetails
from apart.registration.snapshots import record_registration

Outcome = RegistrationRequest.Outcome
# Concurrent registrations of the same new person: the loser's account insert fails, and the
# whole registration is run again (it then finds the account: a claim, proven by its link).
_ATTEMPTS = 3


class SpaceAlreadyExists(UserError):
    """The establishment already has a space (possibly created a moment ago by a concurrent
    registration); ``message`` says how to proceed without disclosing who holds it."""

    def __init__(self) -> None:
        super().__init__(space_already_exists())


class RegistrationRefused(UserError):
    """The typed email cannot be used for an employer space; ``message`` goes next to it."""


CLAIM = "claim"
AGENT = "agent"


@dataclass(frozen=True)
class RegistrationOutcome:
    """What an anonymous registration did. The page shows ``message`` whatever happened."""

    case: str  # RegistrationRequest.Outcome, or CLAIM / AGENT (nothing attached yet)
    registration: RegistrationRequest | None = None

    @property
    def message(self) -> str:
        """The one message of the "Information" box (case 1's, for every email)."""
        return gettext(REQUEST_SENT)


def register_space(
    *,
    siret: str,
    establishment: EstablishmentDetails,
    person: PersonDetails,
    name_flagged: bool = False,
    prefilled_from_sirene: bool = False,
    proconnect: PendingIdentity | None = None,
    audit: AuditContext = SYSTEM,
) -> RegistrationOutcome:
    """Register the establishment's space and decide the person's case (see module docstring).

    ``proconnect``: the person came through "S'identifier avec ProConnect". When case 1 creates
    their account with the identity's own email, the account gets no temporary password (only
    the login email is sent) and the identity is linked to it in the same transaction; in every
    other case the identity is not linked (the email typed is not proof of an account).

    Everything (space, account, habilitation, emails, snapshot, audit rows; or the claim and its
    email) is written in one transaction. Raises SpaceAlreadyExists when the SIRET already has a
    space, including when a concurrent registration of the same SIRET commits first (unique
    constraint on the SIRET), and RegistrationRefused for an address at the agents' domains.
    """
    if reserved_for_agents(person.email):
        raise RegistrationRefused(gettext(AGENT_EMAIL), field="email")
    for attempt in range(1, _ATTEMPTS + 1):
        if has_space(siret):
            raise SpaceAlreadyExists()
        try:
            with transaction.atomic():
                return _register(
                    siret=siret,
                    details=establishment,
                    person=person,
                    name_flagged=name_flagged,
                    prefilled_from_sirene=prefilled_from_sirene,
                    proconnect=proconnect,
                    audit=audit,
                )
        except (IntegrityError, EmailAlreadyUsedError):
            if has_space(siret):
                raise SpaceAlreadyExists() from None
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _register(
    *,
    siret: str,
    details: EstablishmentDetails,
    person: PersonDetails,
    name_flagged: bool,
    prefilled_from_sirene: bool,
    proconnect: PendingIdentity | None,
    audit: AuditContext,
) -> RegistrationOutcome:
    account = account_by_email(person.email)
    if proconnect is not None and proconnect.email.lower() != person.email.strip().lower():
        proconnect = None
    if account is not None:
        # A known email costs the same time as a new one (no timing enumeration).
        spend_account_creation_work(
            first_name=person.first_name,
            last_name=person.last_name,
            secret_answer=person.secret_answer,
        )
        if account.role != Account.Role.EMPLOYER:
            warn_agent(account=account, siret=siret, audit=audit)
            return RegistrationOutcome(case=AGENT)
        open_claim(
            account=account,
            siret=siret,
            details=details,
            person=person,
            name_flagged=name_flagged,
            prefilled_from_sirene=prefilled_from_sirene,
            audit=audit,
        )
        return RegistrationOutcome(case=CLAIM)
    account, password = create_account(
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone=person.phone,
        secret_question=person.secret_question,
        secret_answer=person.secret_answer,
        audit=audit,
        temporary_password=proconnect is None,
    )
    space = register_establishment(siret=siret, details=details, main_contact=account, audit=audit)
    habilitation = request_habilitation(account=account, establishment=space, audit=audit)
    if proconnect is None:
        queue_credentials(account=account, password=password)
    else:
        queue_login_email(account=account)
        link_identity(
            account=account,
            identity=proconnect,
            proof=LinkProof.REGISTRATION,
            audit=audit,
        )
    registration = record_registration(
        siret=siret,
        details=details,
        person=person,
        name_flagged=name_flagged,
        prefilled_from_sirene=prefilled_from_sirene,
        case=Outcome.NEW_ACCOUNT,
        account=account,
        establishment=space,
        habilitation=habilitation,
        audit=audit,
    )
    # The fraud signals of the request the agents will decide on (apart.fraud).
    fraud_checks().assess(subject=habilitation)
    return RegistrationOutcome(case=Outcome.NEW_ACCOUNT, registration=registration)
