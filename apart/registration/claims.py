"""The guide's case 2 with proof: "Créer mon espace" typed with an existing account's email.

The anonymous visitor is answered like everybody (case 1's message, no name). The account's own
address receives a single-use link (random token of 256 bits stored hashed, valid
APART_SIRET_CLAIM_HOURS hours). Its holder opens it (logged in as that account when the account
can log in to APART; otherwise the link, i.e. the mailbox, is the proof, as for case 1's
credentials) and confirms. Only then is the space created and the SIRET turned into a request
that an agent decides exactly like a first request:

- active APART habilitation: an AttachmentRequest on it (the guide's message "l'utilisateur
  <Nom> <Prénom> a déjà une habilitation..." is shown to the holder on the link's page);
- pending APART request: the establishment joins that request (the agent decides both);
- no live APART habilitation (case 3): a new pending APART request.

An unconfirmed claim reserves nothing: the SIRET stays free, several claims may wait for one
SIRET, and the first confirmed one (or a case-1 registration) gets the space; the others are
then superseded when followed.
"""

import hashlib
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core import ratelimit
from apart.core.errors import UserError
from apart.core.hooks import fraud_checks
from apart.establishments.models import Establishment
from apart.establishments.selectors import space_already_exists
from apart.establishments.services.spaces import EstablishmentDetails, register_establishment
from apart.habilitations.attachments import request_attachment
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import live_habilitation
from apart.habilitations.services import attach_establishment, request_habilitation
from apart.notifications.services import queue_email
from apart.registration import messages
from apart.registration.models import RegistrationRequest, SiretClaim
from apart.registration.people import PersonDetails
from apart.registration.snapshots import record_registration

Outcome = RegistrationRequest.Outcome


class ClaimError(UserError):
    """The claim link cannot be confirmed (no longer valid, another account, a space meanwhile)."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def claim_url(token: str) -> str:
    path = reverse("registration:claim", kwargs={"token": token})
    return settings.APART_PUBLIC_URL.rstrip("/") + path


def _within_daily_quota(account: Account) -> bool:
    """Emails a visitor can make an account receive, per day (the same answer beyond it)."""
    return ratelimit.hit(
        f"registration:claims:{account.pk}",
        limit=settings.APART_SIRET_CLAIMS_PER_DAY,
        window=timedelta(days=1),
    ).allowed


def open_claim(
    *,
    account: Account,
    siret: str,
    details: EstablishmentDetails,
    person: PersonDetails,
    name_flagged: bool,
    prefilled_from_sirene: bool,
    audit: AuditContext = SYSTEM,
) -> SiretClaim | None:
    """Keep what was typed and email the account's own address its confirmation link.

    None (only an audit row) once the account's daily quota of such emails is spent.
    """
    if not _within_daily_quota(account):
        record_event(
            action=AuditAction.REGISTRATION_CLAIM_THROTTLED,
            account=account,
            target=account,
            new={"siret": siret},
            context=audit,
        )
        return None
    token = secrets.token_urlsafe(32)
    typed = asdict(person)
    typed.pop("secret_answer")
    claim = SiretClaim.objects.create(
        account=account,
        siret=siret,
        establishment_details=asdict(details),
        person_details=typed,
        name_flagged=name_flagged,
        prefilled_from_sirene=prefilled_from_sirene,
        ip_address=audit.ip_address,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(hours=settings.APART_SIRET_CLAIM_HOURS),
    )
    queue_email(
        to=account.email,
        template="registration/emails/claim",
        context={
            "denomination": details.denomination,
            "siret": siret,
            "url": claim_url(token),
            "hours": settings.APART_SIRET_CLAIM_HOURS,
        },
        account=account,
        sensitive=True,
    )
    record_event(
        action=AuditAction.REGISTRATION_CLAIM_OPENED,
        account=account,
        target=claim,
        new={"siret": siret, "claim": claim.pk},
        context=audit,
    )
    return claim


def warn_agent(*, account: Account, siret: str, audit: AuditContext = SYSTEM) -> None:
    """An agent's address typed in "Créer mon espace": nothing is created; the address is told
    (the visitor sees the same answer as for any address)."""
    record_event(
        action=AuditAction.REGISTRATION_AGENT_EMAIL_REFUSED,
        account=account,
        target=account,
        new={"siret": siret},
        context=audit,
    )
    if _within_daily_quota(account):
        queue_email(
            to=account.email,
            template="registration/emails/agent_address",
            context={"siret": siret},
            account=account,
        )


def claim_for_token(token: str) -> SiretClaim | None:
    """The pending, unexpired claim of this link, or None."""
    if not token or len(token) > 100 or "\x00" in token:
        return None
    return (
        SiretClaim.objects.select_related("account")
        .filter(
            token_hash=_token_hash(token),
            status=SiretClaim.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _claimed(claim: SiretClaim) -> SiretClaim:
    current = (
        SiretClaim.objects.select_for_update(of=("self",))
        .select_related("account")
        .filter(pk=claim.pk, status=SiretClaim.Status.PENDING, expires_at__gt=timezone.now())
        .first()
    )
    if current is None:
        raise ClaimError(gettext(messages.CLAIM_INVALID))
    return current


_CLOSING_ACTIONS: dict[str, AuditAction] = {
    SiretClaim.Status.CONFIRMED: AuditAction.REGISTRATION_CLAIM_CONFIRMED,
    SiretClaim.Status.CANCELLED: AuditAction.REGISTRATION_CLAIM_CANCELLED,
    SiretClaim.Status.SUPERSEDED: AuditAction.REGISTRATION_CLAIM_SUPERSEDED,
}


def _close(claim: SiretClaim, status: str, audit: AuditContext) -> None:
    claim.status = status
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_at", "registration"])
    record_event(
        action=_CLOSING_ACTIONS[status],
        actor=claim.account,
        account=claim.account,
        target=claim,
        old={"status": SiretClaim.Status.PENDING},
        new={"status": status, "siret": claim.siret},
        context=audit,
    )


@dataclass(frozen=True)
class ClaimOutcome:
    case: str  # RegistrationRequest.Outcome
    establishment: Establishment
    message: str


def confirm_claim(*, claim: SiretClaim, audit: AuditContext = SYSTEM) -> ClaimOutcome:
    """The holder confirms: the space is created and the SIRET becomes a request that an agent
    decides. ClaimError when the link is no longer valid or the SIRET got a space meanwhile
    (the claim is then superseded)."""
    with transaction.atomic():
        current = _claimed(claim)
        account = current.account
        if account.role != Account.Role.EMPLOYER:
            raise ClaimError(gettext(messages.AGENT_EMAIL))
        if not account.is_active or getattr(account, "frozen_at", None) is not None:
            # A deactivated or frozen account ("ce n'était pas moi ?") takes nothing new.
            raise ClaimError(gettext(messages.CLAIM_INVALID))
        details = EstablishmentDetails(**current.establishment_details)
        try:
            space = register_establishment(
                siret=current.siret, details=details, main_contact=account, audit=audit
            )
        except IntegrityError:
            space = None
        if space is None:
            _close(current, SiretClaim.Status.SUPERSEDED, audit)
            outcome = None
        else:
            case, habilitation, message = _request_for(account, space, audit)
            current.registration = record_registration(
                siret=current.siret,
                details=details,
                person=PersonDetails(**current.person_details, secret_answer=""),
                name_flagged=current.name_flagged,
                prefilled_from_sirene=current.prefilled_from_sirene,
                case=case,
                account=account,
                establishment=space,
                habilitation=habilitation,
                audit=audit,
            )
            _close(current, SiretClaim.Status.CONFIRMED, audit)
            if habilitation.status == Habilitation.Status.PENDING:
                # The fraud signals of the request the agents will decide on (apart.fraud).
                fraud_checks().assess(subject=habilitation)
            outcome = ClaimOutcome(case=case, establishment=space, message=message)
    if outcome is None:
        raise ClaimError(space_already_exists())
    return outcome


def _request_for(
    account: Account, space: Establishment, audit: AuditContext
) -> tuple[str, Habilitation, str]:
    live = live_habilitation(account=account)
    if live is None:
        habilitation = request_habilitation(
            account=account, establishment=space, actor=account, audit=audit
        )
        return Outcome.KNOWN_ACCOUNT, habilitation, gettext(messages.REQUEST_SENT)
    if live.status == Habilitation.Status.PENDING:
        attach_establishment(habilitation=live, establishment=space, actor=account, audit=audit)
        return Outcome.ATTACHED_TO_PENDING, live, gettext(messages.REQUEST_SENT)
    request_attachment(habilitation=live, establishment=space, actor=account, audit=audit)
    return Outcome.ATTACHED_TO_ACTIVE, live, gettext(messages.ATTACHMENT_PENDING)


def cancel_claim(*, claim: SiretClaim, audit: AuditContext = SYSTEM) -> None:
    """The holder says "ce n'est pas moi": nothing is attached, the link dies."""
    with transaction.atomic():
        _close(_claimed(claim), SiretClaim.Status.CANCELLED, audit)


def holder_message(claim: SiretClaim) -> str:
    """What the link's page tells its holder before confirming: the guide's case 2 message when
    the account holds an active APART habilitation."""
    live = live_habilitation(account=claim.account)
    if live is not None and live.status == Habilitation.Status.ACTIVE:
        return messages.already_habilitated(
            last_name=claim.account.last_name, first_name=claim.account.first_name
        )
    return (
        "Une demande de création d'espace pour cet établissement a été faite avec l'adresse de "
        "courriel de votre compte. Confirmez-la si vous en êtes l'auteur : elle sera transmise "
        "pour validation."
    )
