"""Créer mon espace: the guide's three cases, decided by the person's email, in one transaction.

- Case 1, new person: an ASP account (generated login, temporary password), the establishment's
  space with this person as main contact, a pending APART habilitation request, and the two
  emails "Identifiant de connexion ..." and "Mot de passe de connexion ...".
- Case 2, the person holds an active APART habilitation: the establishment is attached to it;
  no email.
- Case 2bis (not in the guide), the person's APART request is still pending: the establishment
  is attached to that request and the case-1 message is shown; the credentials were sent with
  the first registration and are not sent again.
- Case 3, the person has an ASP account (sibling extranet) but no live APART habilitation: a
  pending APART habilitation request, the case-1 message, no credentials email.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.accounts.services import (
    EmailAlreadyUsedError,
    create_account,
    spend_account_creation_work,
)
from apart.audit.services import client_ip, record_event
from apart.establishments.models import Establishment
from apart.establishments.selectors import has_space
from apart.establishments.services import EstablishmentDetails, register_establishment
from apart.fraud.services import refresh_habilitation
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import live_habilitation
from apart.habilitations.services import (
    HabilitationAlreadyLive,
    attach_establishment,
    request_habilitation,
)
from apart.notifications.services import queue_email
from apart.proconnect.services import LinkProof, link_identity
from apart.proconnect.session import PendingIdentity
from apart.registration.messages import (
    REQUEST_SENT,
    already_habilitated,
    space_already_exists,
)
from apart.registration.models import RegistrationRequest

Outcome = RegistrationRequest.Outcome
# Concurrent registrations of the same new person: the loser's account insert fails, and the
# whole registration is run again (it then finds the account: case 3 or the pending request).
_ATTEMPTS = 3


class SpaceAlreadyExists(Exception):
    """The establishment already has a space (possibly created a moment ago by a concurrent
    registration); ``message`` says how to proceed without disclosing who holds it."""

    def __init__(self) -> None:
        self.message = space_already_exists()
        super().__init__(self.message)


@dataclass(frozen=True)
class PersonDetails:
    """The "Compte utilisateur à créer" block of step 2, cleaned."""

    last_name: str
    first_name: str
    phone: str
    email: str
    secret_question: str
    secret_answer: str


@dataclass(frozen=True)
class RegistrationOutcome:
    case: str  # RegistrationRequest.Outcome
    account: Account
    establishment: Establishment
    habilitation: Habilitation
    registration: RegistrationRequest

    @property
    def message(self) -> str:
        """The message of the guide shown in the "Information" box."""
        if self.case == Outcome.ATTACHED_TO_ACTIVE:
            return already_habilitated(
                last_name=self.account.last_name, first_name=self.account.first_name
            )
        return REQUEST_SENT


def register_space(
    *,
    siret: str,
    establishment: EstablishmentDetails,
    person: PersonDetails,
    name_flagged: bool = False,
    prefilled_from_sirene: bool = False,
    proconnect: PendingIdentity | None = None,
    request: HttpRequest | None = None,
) -> RegistrationOutcome:
    """Register the establishment's space and decide the person's case (see module docstring).

    ``proconnect``: the person came through "S'identifier avec ProConnect". When case 1 creates
    their account with the identity's own email, the account gets no temporary password (only
    the login email is sent) and the identity is linked to it in the same transaction; in every
    other case the identity is not linked (the email typed is not proof of an account).

    Everything (space, account, habilitation, emails, snapshot, audit rows) is written in one
    transaction. Raises SpaceAlreadyExists when the SIRET already has a space, including when a
    concurrent registration of the same SIRET commits first (unique constraint on the SIRET).
    """
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
                    request=request,
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
    request: HttpRequest | None,
) -> RegistrationOutcome:
    account = account_by_email(person.email)
    password: str | None = None
    if proconnect is not None and proconnect.email.lower() != person.email.strip().lower():
        proconnect = None
    if account is None:
        account, password = create_account(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            phone=person.phone,
            secret_question=person.secret_question,
            secret_answer=person.secret_answer,
            request=request,
            temporary_password=proconnect is None,
        )
    else:
        # A known email costs the same time as a new one (no timing enumeration).
        spend_account_creation_work(
            first_name=person.first_name,
            last_name=person.last_name,
            secret_answer=person.secret_answer,
        )
    space = register_establishment(
        siret=siret, details=details, main_contact=account, request=request
    )
    habilitation, case = _habilitate(
        account=account, establishment=space, new_account=password is not None, request=request
    )
    if password and proconnect is None:
        _queue_credentials(account=account, password=password)
    elif password is not None and proconnect is not None:
        _queue_login(account=account)
        link_identity(
            account=account, identity=proconnect, proof=LinkProof.REGISTRATION, request=request
        )
    registration = _snapshot(
        siret=siret,
        details=details,
        person=person,
        name_flagged=name_flagged,
        prefilled_from_sirene=prefilled_from_sirene,
        case=case,
        account=account,
        establishment=space,
        habilitation=habilitation,
        request=request,
    )
    record_event(
        action="registration.space_created",
        actor=account,
        account=account,
        target=registration,
        new={
            "siret": siret,
            "case": case,
            "habilitation": habilitation.pk,
            "name_flagged": name_flagged,
        },
        request=request,
    )
    if habilitation.status == Habilitation.Status.PENDING:
        # The fraud signals of the request the agents will decide on (apart.fraud).
        refresh_habilitation(habilitation=habilitation)
    return RegistrationOutcome(
        case=case,
        account=account,
        establishment=space,
        habilitation=habilitation,
        registration=registration,
    )


def _habilitate(
    *, account: Account, establishment: Establishment, new_account: bool, request: Any
) -> tuple[Habilitation, str]:
    """A new pending APART request, or the establishment attached to the live one."""
    live = None if new_account else live_habilitation(account=account)
    if live is None:
        try:
            habilitation = request_habilitation(
                account=account, establishment=establishment, request=request
            )
        except HabilitationAlreadyLive as error:  # created meanwhile by a concurrent request
            live = error.habilitation
        else:
            return habilitation, Outcome.NEW_ACCOUNT if new_account else Outcome.KNOWN_ACCOUNT
    attach_establishment(habilitation=live, establishment=establishment, request=request)
    if live.status == Habilitation.Status.ACTIVE:
        return live, Outcome.ATTACHED_TO_ACTIVE
    return live, Outcome.ATTACHED_TO_PENDING


def _queue_credentials(*, account: Account, password: str) -> None:
    """The guide's two emails of case 1: the login, then the temporary password."""
    _queue_login(account=account)
    queue_email(
        to=account.email,
        template="registration/emails/password",
        context={"password": password},
        account=account,
        sensitive=True,
    )


def _queue_login(*, account: Account) -> None:
    queue_email(
        to=account.email,
        template="registration/emails/login",
        context={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "login": account.login,
        },
        account=account,
    )


def _snapshot(
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
    request: HttpRequest | None,
) -> RegistrationRequest:
    return RegistrationRequest.objects.create(
        ip_address=client_ip(request),
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
