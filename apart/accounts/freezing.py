"""Freezing an account: « Ce n'était pas moi ? » and the helpdesk's unfreeze.

Every sensitive change (secret question, email, phone, bank details, colleagues, main contact)
emails the *previous* address with a single-use link. Whoever holds that mailbox can freeze the
account at once: every session ends, logins are refused with the assistance number
(apart.accounts.authentication.frozen_refusal), until the helpdesk lifts it after its checks.
The link page says nothing about the account (anonymous, confirmation by POST).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apart.accounts.models import Account, NotMeLink
from apart.accounts.sessions import end_sessions
from apart.audit.actions import AuditAction
from apart.audit.context import SYSTEM, AuditContext
from apart.audit.services import record_event
from apart.notifications.services import queue_email

_EMAILS = "accounts/emails/"
NOT_ME_REASON = "« Ce n'était pas moi ? » signalé depuis le courriel d'une modification"


class NotMeLinkInvalidError(Exception):
    """The link is unknown, already used or expired (one answer for all three)."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def notify_sensitive_change(
    *,
    account: Account,
    change: str,
    recipients: Sequence[str],
    audit: AuditContext = SYSTEM,
    actor: Account | None = None,
) -> list[NotMeLink]:
    """Queue to each recipient (usually the account's address *before* the change) an email
    naming ``change`` (e.g. « la modification de votre adresse de courriel »), with its own
    single-use « Ce n'était pas moi ? » link. Call it inside the transaction of the change."""
    now = timezone.now()
    expires_at = now + timedelta(days=settings.APART_NOT_ME_LINK_DAYS)
    links: list[NotMeLink] = []
    seen: set[str] = set()
    with transaction.atomic():
        for recipient in recipients:
            address = (recipient or "").strip()
            if not address or address.lower() in seen:
                continue
            seen.add(address.lower())
            raw = secrets.token_urlsafe(32)
            link = NotMeLink.objects.create(
                account=account,
                token_hash=hash_token(raw),
                change=change[:200],
                recipient=address,
                created_at=now,
                expires_at=expires_at,
            )
            path = reverse("accounts:not_me", kwargs={"token": raw})
            queue_email(
                to=address,
                template=_EMAILS + "sensitive_change",
                context={
                    "change": change,
                    "login": account.login,
                    "changed_at": now,
                    "not_me_url": settings.APART_PUBLIC_URL.rstrip("/") + path,
                    "days": settings.APART_NOT_ME_LINK_DAYS,
                },
                account=account,
                sensitive=True,
            )
            links.append(link)
        record_event(
            action=AuditAction.ACCOUNT_SENSITIVE_CHANGE_NOTIFIED,
            actor=actor or account,
            account=account,
            target=account,
            new={"change": change[:200], "recipients": len(links)},
            context=audit,
        )
    return links


def usable_not_me_link(raw: str) -> NotMeLink | None:
    """The link of this token if it can still be used, else None."""
    return (
        NotMeLink.objects.filter(
            token_hash=hash_token(raw), used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("account")
        .first()
    )


def freeze_account(
    *,
    account: Account,
    reason: str,
    actor: Account | None = None,
    audit: AuditContext = SYSTEM,
) -> int:
    """Freeze ``account``: logins refused, every session ended. Returns how many sessions ended.
    Freezing a frozen account changes nothing but its audit trail."""
    now = timezone.now()
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        was_frozen = locked.frozen_at is not None
        if not was_frozen:
            locked.frozen_at = now
            locked.frozen_reason = reason[:200]
            locked.save(update_fields=["frozen_at", "frozen_reason", "updated_at"])
        ended = end_sessions(account=locked)
        record_event(
            action=AuditAction.ACCOUNT_FROZEN,
            actor=actor,
            account=locked,
            target=locked,
            old={"frozen": was_frozen},
            new={"frozen": True, "sessions_ended": ended},
            reason=reason[:200],
            context=audit,
        )
    account.frozen_at = locked.frozen_at
    account.frozen_reason = locked.frozen_reason
    return ended


def unfreeze_account(
    *, account: Account, actor: Account, checks: str, audit: AuditContext = SYSTEM
) -> None:
    """Lift the freeze (helpdesk, after checking who calls: ``checks`` is recorded)."""
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        old = {
            "frozen_at": locked.frozen_at.isoformat() if locked.frozen_at else None,
            "frozen_reason": locked.frozen_reason,
        }
        locked.frozen_at = None
        locked.frozen_reason = ""
        locked.save(update_fields=["frozen_at", "frozen_reason", "updated_at"])
        record_event(
            action=AuditAction.ACCOUNT_UNFROZEN,
            actor=actor,
            account=locked,
            target=locked,
            old=old,
            new={"frozen_at": None},
            reason=checks.strip(),
            context=audit,
        )
    account.frozen_at = None
    account.frozen_reason = ""


def use_not_me_link(*, raw_token: str, audit: AuditContext = SYSTEM) -> Account:
    """« Ce n'était pas moi ? » confirmed: the link is used up, the account frozen, and the
    address that received the link is told what happens next. Raises NotMeLinkInvalidError."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            NotMeLink.objects.select_for_update()
            .filter(token_hash=hash_token(raw_token), used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if link is None:
            raise NotMeLinkInvalidError
        link.used_at = now
        link.save(update_fields=["used_at"])
        account = link.account
        freeze_account(
            account=account, reason=f"{NOT_ME_REASON} : {link.change}"[:200], audit=audit
        )
        queue_email(
            to=link.recipient,
            template=_EMAILS + "account_frozen",
            context={"login": account.login, "change": link.change, "frozen_at": now},
            account=account,
        )
    return account
