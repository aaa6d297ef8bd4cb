"""Invitations of colleagues by the main contact: the invitation (a single-use emailed link), its
acceptance by an existing account or by a new person, its cancellation."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.emails import queue_credentials
from apart.accounts.freezing import notify_sensitive_change
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.accounts.services import EmailAlreadyUsedError, create_account
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core import ratelimit
from apart.core.normalize import normalize_email
from apart.establishments.models import Establishment, Invitation
from apart.establishments.selectors import members_of, token_hash
from apart.establishments.services.rules import (
    AGENT_NOT_EMPLOYER,
    MembershipError,
    require_main_contact,
)
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import live_habilitation
from apart.habilitations.services import attach_establishment, request_habilitation
from apart.notifications.services import queue_email

INVITATION_INVALID = (
    "Ce lien d'invitation n'est plus valable (déjà utilisé, annulé ou expiré). Demandez au "
    "contact principal de l'établissement de vous inviter à nouveau."
)


def invitation_url(token: str) -> str:
    path = reverse("establishments:invitation", kwargs={"token": token})
    return settings.APART_PUBLIC_URL.rstrip("/") + path


INVITATION_CHANGE = (
    "l'invitation de {email} à accéder à l'établissement {name} (N° de Siret {siret})"
)


def invite_colleague(
    *,
    establishment: Establishment,
    email: str,
    actor: Account,
    audit: AuditContext = SYSTEM,
) -> Invitation:
    """The main contact invites a colleague: an email with a single-use link (a random token of
    256 bits, stored hashed) valid APART_INVITATION_DAYS days. A new invitation to the same
    address replaces the pending one."""
    require_main_contact(establishment, actor)
    email = normalize_email(email)
    if members_of(establishment).filter(email=email).exists():
        raise MembershipError(gettext("Cette personne a déjà accès à cet établissement."))
    verdict = ratelimit.hit(
        f"invitations:establishment:{establishment.pk}",
        limit=settings.APART_INVITATIONS_PER_DAY,
        window=timedelta(days=1),
    )
    if not verdict.allowed:
        raise MembershipError(
            gettext(
                "Trop d'invitations ont été envoyées aujourd'hui pour cet établissement. "
                "Veuillez réessayer demain."
            )
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
            token_hash=token_hash(token),
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
            context=audit,
        )
        notify_sensitive_change(
            account=actor,
            change=INVITATION_CHANGE.format(
                email=email, name=establishment.denomination, siret=establishment.siret
            ),
            recipients=[actor.email],
            audit=audit,
        )
    return invitation


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


def _accepted(invitation: Invitation, account: Account, audit: AuditContext) -> None:
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
        context=audit,
    )


def accept_invitation(
    *, invitation: Invitation, account: Account, audit: AuditContext = SYSTEM
) -> Habilitation:
    """An existing account accepts: the establishment goes on its live APART habilitation (as in
    the guide's case 2), or a new habilitation request is made that agents decide."""
    if account.role != Account.Role.EMPLOYER:
        raise MembershipError(gettext("Seul un compte employeur peut accepter cette invitation."))
    if normalize_email(account.email) != invitation.email:
        raise MembershipError(
            gettext(
                "Cette invitation a été envoyée à une autre adresse de courriel que celle de votre "
                "compte. Connectez-vous avec le compte de cette adresse."
            )
        )
    with transaction.atomic():
        current = _claim(invitation)
        establishment = current.establishment
        habilitation = live_habilitation(account=account)
        if habilitation is None:
            habilitation = request_habilitation(
                account=account, establishment=establishment, actor=account, audit=audit
            )
        else:
            attach_establishment(
                habilitation=habilitation,
                establishment=establishment,
                actor=account,
                audit=audit,
            )
        _accepted(current, account, audit)
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
    *, invitation: Invitation, person: NewColleague, audit: AuditContext = SYSTEM
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
                audit=audit,
            )
        except EmailAlreadyUsedError:
            # The link proves the mailbox: an ASP account of a sibling extranet without APART
            # habilitation gets its request (the guide's case 3: no credentials email).
            existing = account_by_email(current.email)
            if existing is not None and existing.role != Account.Role.EMPLOYER:
                raise MembershipError(AGENT_NOT_EMPLOYER) from None
            if existing is None or live_habilitation(account=existing) is not None:
                raise MembershipError(
                    gettext(
                        "Un compte existe déjà pour cette adresse de courriel : "
                        "connectez-vous pour accepter l'invitation."
                    )
                ) from None
            request_habilitation(
                account=existing,
                establishment=current.establishment,
                actor=existing,
                audit=audit,
            )
            _accepted(current, existing, audit)
            return existing
        request_habilitation(
            account=account,
            establishment=current.establishment,
            actor=account,
            audit=audit,
        )
        queue_credentials(account=account, password=password)
        _accepted(current, account, audit)
    return account


def cancel_invitation(
    *, invitation: Invitation, actor: Account, audit: AuditContext = SYSTEM
) -> None:
    require_main_contact(invitation.establishment, actor)
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
                context=audit,
            )
