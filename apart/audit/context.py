"""Who acts, from where: built once per request, passed to services instead of the request.

Services never see the ``HttpRequest``; they receive an ``AuditContext`` and hand it to
``record_event``, which copies it onto the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:  # a type only: audit sits below accounts
    from apart.accounts.models import Account

USER_AGENT_MAX_LENGTH = 300


@dataclass(frozen=True, slots=True)
class AuditContext:
    """The acting person (``None``: anonymous or the system), the client's address as Django
    sees it (REMOTE_ADDR, set behind the proxy by ``TrustedProxyMiddleware``), its user agent."""

    actor: Account | None = None
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        user = getattr(request, "user", None)
        return cls(
            actor=user if getattr(user, "is_authenticated", False) else None,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH],
        )

    @classmethod
    def system(cls) -> AuditContext:
        """Commands, the outbox worker, scheduled jobs: no person, no address."""
        return cls()


# The context of a service called with no person acting (commands, jobs, tests): the default of
# the services' ``audit`` parameter.
SYSTEM = AuditContext.system()
