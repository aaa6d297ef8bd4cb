from typing import Any

from apart.notifications.models import OutboundEmail
from apart.notifications.services import queue_email


def queue_check(to: str = "jean.dupont@example.com", **kwargs: Any) -> OutboundEmail:
    """Queue the outbox's own verification email (a real template trio)."""
    context = kwargs.pop("context", {"note": ""})
    return queue_email(to=to, template="notifications/emails/check", context=context, **kwargs)
