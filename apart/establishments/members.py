"""Several users per establishment: another SIRET for oneself, invitations of colleagues, removal
of a colleague, hand-over of the main-contact role. Each change runs in one transaction, writes
its audit row and queues its emails in that transaction. Membership is described in access.py.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from apart.accounts.freezing import notify_sensitive_change
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.accounts.services import EmailAlreadyUsedError, create_account
from apart.audit.actions import AuditAction
from apart.audit.context import audit_of
from apart.audit.services import record_event
from apart.core import ratelimit
from apart.core.normalize import normalize_email
from apart.establishments.access import is_member, members_of
from apart.establishments.models import Establishment, Invitation
from apart.establishments.selectors import space_already_exists
from apart.establishments.services import EstablishmentDetails, register_establishment
from apart.habilitations.attachments import request_attachment
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import live_habilitation
from apart.habilitations.services import attach_establishment, request_habilitation
from apart.notifications.services import queue_email


class MembershipError(Exception):
    """A change refused by a business rule; ``message`` is French, for the person acting."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


ONLY_MAIN_CONTACT = "Seul le contact principal de l'établissement peut faire cette opération."
AGENT_NOT_EMPLOYER = (
    "Un compte d'agent ne peut pas être utilisé pour un espace employeur. Utilisez un compte "
    "employeur distinct, avec une autre adresse de courriel."
)
INVITATION_INVALID = (
    "Ce lien d'invitation n'est plus valable (déjà utilisé, annulé ou expiré). Demandez au "
    "contact principal de l'établissement de vous inviter à nouveau."
)


def _require_main_contact(establishment: Establishment, actor: Any) -> None:
    if establishment.main_contact_id != getattr(actor, "pk", None):
        raise MembershipError(ONLY_MAIN_CONTACT)


# -- Another SIRET while logged in ("DEMANDE CRÉATION DE COMPTE") -------------------------------
def add_establishment(
    *,
    account: Account,
    siret: str,
    details: EstablishmentDetails,
    request: HttpRequest | None = None,
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
            "Votre compte n'a pas d'habilitation active à l'extranet Activité Partielle."
        )
    try:
        with transaction.atomic():
            establishment = register_establishment(
                siret=siret, details=details, main_contact=account, request=request
            )
            request_attachment(
                habilitation=habilitation,
                establishment=establishment,
                actor=account,
                audit=audit_of(request),
            )
    except IntegrityError:
        raise MembershipError(space_already_exists()) from None
    return establishment


# -- Invitations ---------------------------------------------------------------------------------
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    path = reverse("establishments:invitation", kwargs={"token": token})
    return settings.APART_PUBLIC_URL.rstrip("/") + path


INVITATION_CHANGE = (
    "l'invitation de {email} à accéder à l'établissement {name} (N° de Siret {siret})"
)
MAIN_CONTACT_CHANGE = (
    "la désignation de {person} comme contact principal de l'établissement {name} "
    "(N° de Siret {siret})"
)


def invite_colleague(
    *,
    establishment: Establishment,
    email: str,
    actor: Account,
    request: HttpRequest | None = None,
) -> Invitation:
    """The main contact invites a colleague: an email with a single-use link (a random token of
    256 bits, stored hashed) valid APART_INVITATION_DAYS days. A new invitation to the same
    address replaces the pending one."""
    _require_main_contact(establishment, actor)
    email = normalize_email(email)
    if members_of(establishment).filter(email=email).exists():
        raise MembershipError("Cette personne a déjà accès à cet établissement.")
    verdict = ratelimit.hit(
        f"invitations:establishment:{establishment.pk}",
        limit=settings.APART_INVITATIONS_PER_DAY,
        window=timedelta(days=1),
    )
    if not verdict.allowed:
        raise MembershipError(
            "Trop d'invitations ont été envoyées aujourd'hui pour cet établissement. "
            "Veuillez réessayer demain."
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.select_for_update().filter(
            establishment=establishment, email=email, status=Invitation.Status.PENDING
        ).update(status=Invitation.Status.CANCELLED, decided_at=now)
        invitation = Invitation.objects.create(
            establishment=establishment,
            email=email,
            invited_by=actor,
            token_hash=_token_hash(token),
            expires_at=now + timedelta(days=settings.APART_INVITATION_DAYS),
        )
        queue_email(
            to=email,
            template="establishments/emails/invitation",
            context={
                "inviter": actor.full_name,
                "denomination": establishment.denomination,
                "siret": establishment.siret,
                "url": invitation_url(token),
                "expires_at": invitation.expires_at,
            },
            sensitive=True,
        )
        record_event(
            action=AuditAction.ESTABLISHMENT_COLLEAGUE_INVITED,
            actor=actor,
            account=actor,
            target=establishment,
            new={"email": email, "invitation": invitation.pk},
            request=request,
        )
        notify_sensitive_change(
            account=actor,
            change=INVITATION_CHANGE.format(
                email=email, name=establishment.denomination, siret=establishment.siret
            ),
            recipients=[actor.email],
            audit=audit_of(request),
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation of this link, or None."""
    if not token or len(token) > 100 or "\x00" in token:
        return None
    return (
        Invitation.objects.select_related("establishment", "invited_by")
        .filter(
            token_hash=_token_hash(token),
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _claim(invitation: Invitation) -> Invitation:
    """The invitation's row locked, if still pending and unexpired (else MembershipError)."""
    current = (
        Invitation.objects.select_for_update()
        .select_related("establishment")
        .filter(pk=invitation.pk, status=Invitation.Status.PENDING, expires_at__gt=timezone.now())
        .first()
    )
    if current is None:
        raise MembershipError(INVITATION_INVALID)
    return current


def _accepted(invitation: Invitation, account: Account, request: HttpRequest | None) -> None:
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_by = account
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_by", "decided_at"])
    record_event(
        action=AuditAction.ESTABLISHMENT_INVITATION_ACCEPTED,
        actor=account,
        account=account,
        target=invitation.establishment,
        new={"email": invitation.email, "invitation": invitation.pk},
        request=request,
    )


def accept_invitation(
    *, invitation: Invitation, account: Account, request: HttpRequest | None = None
) -> Habilitation:
    """An existing account accepts: the establishment goes on its live APART habilitation (as in
    the guide's case 2), or a new habilitation request is made that agents decide."""
    if account.role != Account.Role.EMPLOYER:
        raise MembershipError("Seul un compte employeur peut accepter cette invitation.")
    if normalize_email(account.email) != invitation.email:
        raise MembershipError(
            "Cette invitation a été envoyée à une autre adresse de courriel que celle de votre "
            "compte. Connectez-vous avec le compte de cette adresse."
        )
    with transaction.atomic():
        current = _claim(invitation)
        establishment = current.establishment
        habilitation = live_habilitation(account=account)
        if habilitation is None:
            habilitation = request_habilitation(
                account=account, establishment=establishment, actor=account, audit=audit_of(request)
            )
        else:
            attach_establishment(
                habilitation=habilitation,
                establishment=establishment,
                actor=account,
                audit=audit_of(request),
            )
        _accepted(current, account, request)
    return habilitation


@dataclass(frozen=True)
class NewColleague:
    """The "Compte utilisateur à créer" block, cleaned (the email is the invitation's)."""

    last_name: str
    first_name: str
    phone: str
    secret_question: str
    secret_answer: str


def register_invited_colleague(
    *, invitation: Invitation, person: NewColleague, request: HttpRequest | None = None
) -> Account:
    """A new person accepts: an ASP account (login and temporary password by email, as at
    registration) and a pending APART habilitation request for the establishment."""
    with transaction.atomic():
        current = _claim(invitation)
        try:
            account, password = create_account(
                first_name=person.first_name,
                last_name=person.last_name,
                email=current.email,
                phone=person.phone,
                secret_question=person.secret_question,
                secret_answer=person.secret_answer,
                audit=audit_of(request),
            )
        except EmailAlreadyUsedError:
            # The link proves the mailbox: an ASP account of a sibling extranet without APART
            # habilitation gets its request (the guide's case 3: no credentials email).
            existing = account_by_email(current.email)
            if existing is not None and existing.role != Account.Role.EMPLOYER:
                raise MembershipError(AGENT_NOT_EMPLOYER) from None
            if existing is None or live_habilitation(account=existing) is not None:
                raise MembershipError(
                    "Un compte existe déjà pour cette adresse de courriel : connectez-vous pour "
                    "accepter l'invitation."
                ) from None
            request_habilitation(
                account=existing,
                establishment=current.establishment,
                actor=existing,
                audit=audit_of(request),
            )
            _accepted(current, existing, request)
            return existing
        request_habilitation(
            account=account,
            establishment=current.establishment,
            actor=account,
            audit=audit_of(request),
        )
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
        queue_email(
            to=account.email,
            template="registration/emails/password",
            context={"password": password},
            account=account,
            sensitive=True,
        )
        _accepted(current, account, request)
    return account


def cancel_invitation(
    *, invitation: Invitation, actor: Account, request: HttpRequest | None = None
) -> None:
    _require_main_contact(invitation.establishment, actor)
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, status=Invitation.Status.PENDING
        ).update(status=Invitation.Status.CANCELLED, decided_at=timezone.now())
        if updated:
            record_event(
                action=AuditAction.ESTABLISHMENT_INVITATION_CANCELLED,
                actor=actor,
                account=actor,
                target=invitation.establishment,
                old={"email": invitation.email, "invitation": invitation.pk},
                request=request,
            )


# -- Colleagues and the main contact ---------------------------------------------------------
def remove_colleague(
    *,
    establishment: Establishment,
    colleague: Account,
    actor: Account,
    request: HttpRequest | None = None,
) -> None:
    """The main contact takes the establishment off a colleague's habilitation. The main
    contact cannot remove themself: they hand the role over first."""
    with transaction.atomic():
        current = Establishment.objects.select_for_update().get(pk=establishment.pk)
        _require_main_contact(current, actor)
        if colleague.pk == current.main_contact_id:
            raise MembershipError(
                "Le contact principal ne peut pas être retiré : transmettez d'abord ce rôle à "
                "un collègue."
            )
        habilitation = live_habilitation(account=colleague)
        if habilitation is None or not habilitation.establishments.filter(pk=current.pk).exists():
            raise MembershipError("Cette personne n'a pas accès à cet établissement.")
        habilitation.establishments.remove(current)
        record_event(
            action=AuditAction.ESTABLISHMENT_COLLEAGUE_REMOVED,
            actor=actor,
            account=colleague,
            target=current,
            old={"login": colleague.login, "habilitation": habilitation.pk},
            request=request,
        )


def hand_over_main_contact(
    *,
    establishment: Establishment,
    new_main_contact: Account,
    actor: Account,
    request: HttpRequest | None = None,
) -> None:
    """The main contact gives the role to a colleague who already has access (exactly one main
    contact per establishment: a non-null foreign key, changed under a row lock)."""
    with transaction.atomic():
        current = Establishment.objects.select_for_update().get(pk=establishment.pk)
        _require_main_contact(current, actor)
        if new_main_contact.pk == current.main_contact_id:
            return
        if not is_member(new_main_contact, current):
            raise MembershipError("Cette personne n'a pas accès à cet établissement.")
        old_login = actor.login
        current.main_contact = new_main_contact
        current.save(update_fields=["main_contact", "updated_at"])
        record_event(
            action=AuditAction.ESTABLISHMENT_MAIN_CONTACT_CHANGED,
            actor=actor,
            account=new_main_contact,
            target=current,
            old={"main_contact": old_login},
            new={"main_contact": new_main_contact.login},
            request=request,
        )
        queue_email(
            to=new_main_contact.email,
            template="establishments/emails/main_contact",
            context={
                "denomination": current.denomination,
                "siret": current.siret,
                "previous": actor.full_name,
            },
            account=new_main_contact,
        )
        notify_sensitive_change(
            account=actor,
            change=MAIN_CONTACT_CHANGE.format(
                person=new_main_contact.full_name, name=current.denomination, siret=current.siret
            ),
            recipients=[actor.email],
            audit=audit_of(request),
        )
