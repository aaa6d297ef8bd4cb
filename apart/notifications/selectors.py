"""Reads of the outbox."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from apart.notifications.models import OutboundEmail

if TYPE_CHECKING:
    from apart.accounts.models import Account


def emails_for_account(account: "Account") -> QuerySet[OutboundEmail]:
    """The emails queued for an account, newest first (helpdesk: "was the email sent?")."""
    return OutboundEmail.objects.filter(account=account).order_by("-created_at", "-pk")


def demo_mailbox_emails(*, limit: int = 200) -> QuerySet[OutboundEmail]:
    """The latest emails of the outbox, newest first, for the development demo mailbox."""
    return OutboundEmail.objects.order_by("-created_at", "-pk")[:limit]
