""" "Mon compte": changes of the person's own contact details. Each runs in one transaction,
writes its audit row and queues its emails in that transaction."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from apart.accounts.freezing import notify_sensitive_change
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.core import ratelimit
from apart.core.errors import UserError
from apart.core.normalize import normalize_email
from apart.notifications.services import queue_email
from apart.space.models import EmailChangeRequest

EMAIL_LINK_INVALID = (
    "Ce lien de confirmation n'est plus valable (déjà utilisé, expiré ou remplacé par une "
    "demande plus récente). Vous pouvez refaire la demande depuis « Mon compte »."
)
EMAIL_TAKEN = "Cette adresse de courriel est déjà utilisée par un autre compte."


PHONE_CHANGE = "la modification de votre numéro de téléphone"
EMAIL_CHANGE = "le remplacement de votre adresse de courriel par {new}"


class AccountChangeError(UserError):
    """A change of "Mon compte" refused (email already used, link no longer valid...)."""


def change_phone(*, account: Account, phone: str, audit: AuditContext = SYSTEM) -> bool:
    """Replace the person's phone number (already checked); False when unchanged."""
    if phone == account.phone:
        return False
    with transaction.atomic():
        old = account.phone
        account.phone = phone
        account.save(update_fields=["phone", "updated_at"])
        record_event(
            action=AuditAction.ACCOUNT_PHONE_CHANGED,
            actor=account,
            account=account,
            target=account,
            old={"phone": old},
            new={"phone": phone},
            context=audit,
        )
        notify_sensitive_change(
            account=account,
            change=PHONE_CHANGE,
            recipients=[account.email],
            audit=audit,
        )
    return True


def email_change_url(token: str) -> str:
    path = reverse("space:email_confirm", kwargs={"token": token})
    return settings.APART_PUBLIC_URL.rstrip("/") + path


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def request_email_change(*, account: Account, new_email: str, audit: AuditContext = SYSTEM) -> None:
    """Send a confirmation link to the new address; nothing changes until it is followed.

    The link carries a random nonce (256 bits) stored hashed in the account's one
    EmailChangeRequest, valid APART_EMAIL_CHANGE_HOURS hours: a new request replaces it (only the
    newest link works) and following it deletes it (single use). An address already held by
    another account gets no link (and any earlier pending change is dropped all the same), and
    the person is told the same thing either way (no account enumeration).
    """
    new_email = normalize_email(new_email)
    if new_email == account.email:
        raise AccountChangeError(gettext("C'est déjà l'adresse de courriel de votre compte."))
    verdict = ratelimit.hit(
        f"email-change:{account.pk}",
        limit=settings.APART_EMAIL_CHANGES_PER_DAY,
        window=timedelta(days=1),
    )
    if not verdict.allowed:
        raise AccountChangeError(
            gettext(
                "Trop de demandes de changement de courriel aujourd'hui. Veuillez réessayer demain."
            )
        )
    with transaction.atomic():
        taken = account_by_email(new_email) is not None
        EmailChangeRequest.objects.filter(account=account).delete()
        record_event(
            action=AuditAction.ACCOUNT_EMAIL_CHANGE_REQUESTED,
            actor=account,
            account=account,
            target=account,
            new={"email": new_email, "sent": not taken},
            context=audit,
        )
        if taken:
            return
        token = secrets.token_urlsafe(32)
        EmailChangeRequest.objects.create(
            account=account,
            new_email=new_email,
            token_hash=_token_hash(token),
            expires_at=timezone.now() + timedelta(hours=settings.APART_EMAIL_CHANGE_HOURS),
        )
        queue_email(
            to=new_email,
            template="space/emails/email_change_confirm",
            context={
                "login": account.login,
                "url": email_change_url(token),
                "hours": settings.APART_EMAIL_CHANGE_HOURS,
            },
            account=account,
            sensitive=True,
        )


def _valid_requests(token: str) -> QuerySet[EmailChangeRequest]:
    if not token or len(token) > 100 or "\x00" in token:
        return EmailChangeRequest.objects.none()
    return EmailChangeRequest.objects.filter(
        token_hash=_token_hash(token), expires_at__gt=timezone.now()
    )


def pending_email_change(token: str) -> str:
    """The new address a valid link would set (AccountChangeError otherwise)."""
    pending = _valid_requests(token).first()
    if pending is None:
        raise AccountChangeError(EMAIL_LINK_INVALID)
    return pending.new_email


def confirm_email_change(*, token: str, audit: AuditContext = SYSTEM) -> Account:
    """Follow the link: the account's email becomes the new address (the request is consumed),
    and the old address is told (in case the change was not wanted: it says how to reach the
    assistance)."""
    with transaction.atomic():
        pending = _valid_requests(token).select_for_update().first()
        if pending is None:
            raise AccountChangeError(EMAIL_LINK_INVALID)
        account = Account.objects.select_for_update().get(pk=pending.account_id)
        new = pending.new_email
        pending.delete()
        old = account.email
        account.email = new
        try:
            with transaction.atomic():
                account.save(update_fields=["email", "updated_at"])
        except IntegrityError:
            raise AccountChangeError(EMAIL_TAKEN) from None
        record_event(
            action=AuditAction.ACCOUNT_EMAIL_CHANGED,
            actor=account,
            account=account,
            target=account,
            old={"email": old},
            new={"email": new},
            context=audit,
        )
        # The previous address is told, with « Ce n'était pas moi ? » (freezes the account).
        notify_sensitive_change(
            account=account,
            change=EMAIL_CHANGE.format(new=new),
            recipients=[old],
            audit=audit,
        )
    return account
