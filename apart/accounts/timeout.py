"""How long the open session has left, and « Prolonger ma session » (RGAA 13.1, WCAG 2.2.1).

The session ends after ``SESSION_IDLE_TIMEOUT`` without a request, and in any case
``SESSION_COOKIE_AGE`` after the login (apart.accounts.middleware.SessionTimeoutMiddleware).
Every page of a logged-in person says how many seconds are left; a script warns
``APART_SESSION_WARNING_SECONDS`` before the end and offers to extend it (the button posts to
``accounts:session_extend``). Extending restarts the idle delay only: the absolute lifetime is
a security limit that no button moves.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from apart.accounts.authentication import LAST_SEEN, SESSION_STARTED_AT
from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.services import record_event


def seconds_left(session: SessionBase, *, now: float | None = None) -> int:
    """Seconds before the session ends if nothing is requested meanwhile (never negative)."""
    now = time.time() if now is None else now
    started = float(session.get(SESSION_STARTED_AT, now))
    last_seen = float(session.get(LAST_SEEN, started))
    end = min(last_seen + settings.SESSION_IDLE_TIMEOUT, started + settings.SESSION_COOKIE_AGE)
    # Rounded up: the page must never say « Votre session a expiré » while the server would
    # still accept what the person sends (rounded down, it said so up to a second early).
    return max(math.ceil(end - now), 0)


def warning_seconds() -> int:
    """How long before the end the page warns: the setting, but never more than half the idle
    delay (a short session would warn from its first second), nor less than 20 s (RGAA 13.1)."""
    half = settings.SESSION_IDLE_TIMEOUT // 2
    return max(min(int(settings.APART_SESSION_WARNING_SECONDS), half), 20)


def extend_session(*, session: SessionBase, account: Account, audit: AuditContext) -> int:
    """« Prolonger ma session »: the idle delay starts again now (the session's last activity is
    the only thing written, with its audit row). Returns the seconds now left."""
    now = time.time()
    with transaction.atomic():
        session[LAST_SEEN] = now
        record_event(
            action=AuditAction.ACCOUNT_SESSION_EXTENDED,
            actor=account,
            account=account,
            context=audit,
        )
    return seconds_left(session, now=now)
