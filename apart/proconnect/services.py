"""Who is who: signing in with a linked identity, linking an identity to a proven account.

Rules (docs/proconnect.md):
- an identity (issuer + ``sub``) opens at most one account, an account has at most one identity
  per issuer (database constraints);
- an identity is linked only after the account is proven: its password (a full login through
  ``attempt_login``, with its lockout), a single-use link sent to the account's own address, or
  the creation of the account itself in "Créer mon espace"; never on the email claim alone;
- an agent's account is linked, and signs in, only with an email domain listed in
  APART_PROCONNECT_AGENT_EMAIL_DOMAINS;
- signing in runs the same checks as the password login (APART_LOGIN_CHECKS: the habilitation
  gate, with its messages), and a refused sign-in changes nothing.
"""

from __future__ import annotations

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
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from apart.accounts.authentication import account_refusal, open_session
from apart.accounts.models import Account
from apart.accounts.selectors import account_by_email
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.core import ratelimit
from apart.core.errors import UserError
from apart.mfa.selectors import has_factor
from apart.notifications.services import queue_email
from apart.proconnect import acr, messages
from apart.proconnect.client import VerifiedIdentity
from apart.proconnect.models import ProConnectIdentity, ProConnectLinkToken
from apart.proconnect.session import PendingIdentity

LinkProof = ProConnectIdentity.LinkProof
_LINK_EMAILS_PER_HOUR = 5


class LinkRefused(UserError):
    """The identity cannot be linked to this account; ``message`` says why, in French;
    ``reason`` goes into the audit row."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class SignInOutcome:
    account: Account | None = None
    error: str = ""
    # The account has APART's own second factor and the provider did not check one: the
    # session opens only after it, at this address (apart.mfa).
    second_step_url: str = ""

    @property
    def succeeded(self) -> bool:
        return self.account is not None


def record_failure(
    *,
    audit: AuditContext,
    reason: str,
    account: Account | None = None,
    issuer: str = "",
    subject: str = "",
) -> None:
    """The audit row of a refused ProConnect sign-in or link (nothing else is written)."""
    record_event(
        action=AuditAction.PROCONNECT_LOGIN_FAILED,
        account=account,
        target=account,
        outcome=AuditEvent.Outcome.FAILURE,
        new={"issuer": issuer[:255], "sub": subject[:255]} if subject else {},
        reason=reason[:200],
        context=audit,
    )


def linked_account(*, issuer: str, subject: str) -> Account | None:
    identity = (
        ProConnectIdentity.objects.select_related("account")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    return identity.account if identity is not None else None


def agent_domain_allowed(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return bool(domain) and domain in settings.APART_PROCONNECT_AGENT_EMAIL_DOMAINS


def _refusal(account: Account, identity_email: str) -> tuple[str, str] | None:
    """(reason, message) when this account may not sign in through ProConnect now: inactive,
    an agent outside the allowed domains, then what refuses every way in (frozen account,
    APART_LOGIN_CHECKS such as the habilitation gate)."""
    if not account.is_active:
        return "account_disabled", gettext(messages.ACCOUNT_DISABLED).format(
            hours=settings.APART_ASSISTANCE_HOURS, phone=settings.APART_ASSISTANCE_PHONE
        )
    if account.is_agent and not agent_domain_allowed(identity_email):
        return "agent_domain_refused", gettext(messages.AGENT_DOMAIN_REFUSED)
    refusal = account_refusal(account)
    if refusal:
        return f"refused:{refusal[:150]}", refusal
    return None


def _second_step_url(request: HttpRequest, account: Account, acr_value: str) -> str:
    """APART's second step (settings.APART_LOGIN_SECOND_STEP) for an account that has a second
    factor, unless the provider vouched for one (acr "-2fa", eIDAS substantial or high)."""
    if acr.rank(acr_value) >= acr.SECOND_FACTOR_RANK or not settings.APART_LOGIN_SECOND_STEP:
        return ""
    return import_string(settings.APART_LOGIN_SECOND_STEP)(request, account) or ""


def sign_in(*, request: HttpRequest, identity: VerifiedIdentity) -> SignInOutcome | None:
    """Open the session of the account linked to this identity; None when none is linked."""
    account = linked_account(issuer=identity.issuer, subject=identity.subject)
    if account is None:
        return None
    refusal = _refusal(account, identity.email)
    if refusal is not None:
        reason, message = refusal
        record_failure(
            audit=AuditContext.from_request(request),
            reason=reason,
            account=account,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        return SignInOutcome(error=message)
    second_step_url = _second_step_url(request, account, identity.acr)
    if second_step_url:
        return SignInOutcome(second_step_url=second_step_url)
    with transaction.atomic():
        open_session(request, account, method="proconnect")
        ProConnectIdentity.objects.filter(issuer=identity.issuer, subject=identity.subject).update(
            last_login_at=timezone.now()
        )
    return SignInOutcome(account=account)


def agent_link_refusal(account: Account, identity: PendingIdentity) -> LinkRefused | None:
    """The refusal for an agent's account and an identity outside the allowed domains."""
    if account.is_agent and not agent_domain_allowed(identity.email):
        return LinkRefused(gettext(messages.AGENT_DOMAIN_REFUSED), reason="agent_domain_refused")
    return None


def link_identity(
    *,
    account: Account,
    identity: PendingIdentity,
    proof: str,
    audit: AuditContext = SYSTEM,
) -> ProConnectIdentity:
    """Link the identity to the proven account (in the caller's transaction if any).

    Raises LinkRefused when the identity already opens another account, when the account
    already has another identity of this provider, or for an agent outside the allowed domains.
    """
    refused = agent_link_refusal(account, identity)
    if refused is not None:
        raise refused
    existing = linked_account(issuer=identity.issuer, subject=identity.subject)
    if existing is not None and existing.pk != account.pk:
        raise LinkRefused(gettext(messages.ALREADY_LINKED), reason="sub_already_linked")
    if existing is not None:
        return ProConnectIdentity.objects.get(issuer=identity.issuer, subject=identity.subject)
    try:
        with transaction.atomic():
            linked = ProConnectIdentity.objects.create(
                account=account,
                issuer=identity.issuer,
                subject=identity.subject,
                email=identity.email,
                linked_by=LinkProof(proof),
            )
            record_event(
                action=AuditAction.PROCONNECT_LINKED,
                actor=account,
                account=account,
                target=account,
                new={"issuer": identity.issuer, "sub": identity.subject, "proof": proof},
                context=audit,
            )
    except IntegrityError:
        # A concurrent link won, or the account already has an identity of this provider.
        if linked_account(issuer=identity.issuer, subject=identity.subject) is not None:
            raise LinkRefused(
                gettext(messages.ALREADY_LINKED), reason="sub_already_linked"
            ) from None
        raise LinkRefused(
            gettext(messages.ACCOUNT_ALREADY_LINKED), reason="account_already_linked"
        ) from None
    return linked


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _link_email_refusal(account: Account | None, identity: PendingIdentity) -> str:
    """Why no link is emailed to this account ("" when one may be)."""
    if account is None:
        return "link_email_no_account"
    if account.is_agent and not agent_domain_allowed(identity.email):
        return "agent_domain_refused"
    if has_factor(account):
        # The mailbox alone must not stand in for the account's second factor.
        return "second_factor_required"
    return ""


def send_link_email(*, identity: PendingIdentity, audit: AuditContext) -> None:
    """Send the single-use confirmation link to the account that uses the identity's email.

    The page says the same whether or not such an account exists (nothing is revealed); nothing
    is sent to an agent outside the allowed domains, nor beyond a few emails per hour.
    """
    account = account_by_email(identity.email) if identity.email else None
    refusal = _link_email_refusal(account, identity)
    if account is None or refusal:
        record_failure(
            audit=audit,
            reason=refusal or "link_email_no_account",
            account=account,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        return
    quota = ratelimit.hit(
        f"proconnect-link-email:{account.pk}",
        limit=_LINK_EMAILS_PER_HOUR,
        window=timedelta(hours=1),
    )
    if not quota.allowed:
        record_failure(
            audit=audit,
            reason="link_email_quota",
            account=account,
            issuer=identity.issuer,
            subject=identity.subject,
        )
        return
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    minutes = settings.APART_PROCONNECT_LINK_MINUTES
    with transaction.atomic():
        ProConnectLinkToken.objects.filter(account=account, used_at__isnull=True).update(
            expires_at=now
        )
        ProConnectLinkToken.objects.create(
            account=account,
            issuer=identity.issuer,
            subject=identity.subject,
            email=identity.email,
            token_hash=_hash(raw),
            expires_at=now + timedelta(minutes=minutes),
        )
        url = settings.APART_PUBLIC_URL.rstrip("/") + reverse(
            "proconnect:confirm_link", kwargs={"token": raw}
        )
        queue_email(
            to=account.email,
            template="proconnect/emails/link",
            context={"login": account.login, "url": url, "minutes": minutes},
            account=account,
            sensitive=True,
        )
        record_event(
            action=AuditAction.PROCONNECT_LINK_EMAIL_SENT,
            account=account,
            target=account,
            new={"issuer": identity.issuer, "sub": identity.subject},
            context=audit,
        )


def usable_link_token(raw: str) -> ProConnectLinkToken | None:
    if not raw or len(raw) > 100:
        return None
    return (
        ProConnectLinkToken.objects.select_related("account")
        .filter(token_hash=_hash(raw), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def confirm_link(*, raw_token: str, audit: AuditContext) -> ProConnectIdentity:
    """Use the emailed link: the identity it names is linked to the account it was sent to."""
    with transaction.atomic():
        token = (
            ProConnectLinkToken.objects.select_for_update()
            .select_related("account")
            .filter(
                token_hash=_hash(raw_token), used_at__isnull=True, expires_at__gt=timezone.now()
            )
            .first()
        )
        if token is None:
            raise LinkRefused(gettext(messages.LINK_INVALID), reason="link_token_invalid")
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        identity = PendingIdentity(
            issuer=token.issuer,
            subject=token.subject,
            email=token.email,
            given_name="",
            usual_name="",
            siret="",
            phone="",
            acr="",
        )
        return link_identity(
            account=token.account, identity=identity, proof=LinkProof.EMAIL, audit=audit
        )


def registration_details(identity: PendingIdentity) -> dict[str, Any]:
    """The step-2 fields of "Créer mon espace" that ProConnect fills in."""
    return {
        "last_name": identity.usual_name,
        "first_name": identity.given_name,
        "email": identity.email,
        "email_confirm": identity.email,
        "phone": identity.phone,
    }
