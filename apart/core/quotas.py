"""Quotas against automation: per address and for the whole site, with a surge mode.

The captcha slows a person down more than a script (its text alternative must stay answerable
by anyone, so a parser can be written for it); what bounds a script is the number of attempts it
gets. Every guarded action (``registration``, ``recovery``, ``login``) is counted twice, in one
atomic statement each (apart.core.ratelimit):

- per client address, in the action's own window (its settings, e.g.
  APART_REGISTRATION_RATE_LIMIT per APART_REGISTRATION_RATE_WINDOW);
- for the whole site, per hour (APART_GLOBAL_QUOTAS[action]): a botnet spread over many
  addresses is stopped there, at a level far above the real traffic (sized from the surge
  benchmark: docs/operations.md).

**Surge mode** (``manage.py surge on --hours 6``, ``off``, ``status``): an operator facing an
attack divides every quota by APART_SURGE_DIVISOR (5) for a given time. It is stored in the
shared rate-limit store (all nodes see it at once), ends by itself, and each switch is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from apart.core import ratelimit

SURGE_KEY = "operator:surge-mode"
_FAR = timedelta(days=3650)


def surge_until() -> datetime | None:
    """When the surge mode ends, or None when it is off."""
    state = ratelimit.peek(SURGE_KEY, limit=1, window=_FAR)
    return None if state.allowed else state.retry_at


def switch_surge_on(*, hours: float) -> datetime:
    ratelimit.reset(SURGE_KEY)
    state = ratelimit.hit(SURGE_KEY, limit=1, window=timedelta(hours=hours))
    assert state.ends_at is not None  # noqa: S101 - hit always returns the end of the window
    return state.ends_at


def switch_surge_off() -> None:
    ratelimit.reset(SURGE_KEY)


def in_surge() -> bool:
    return surge_until() is not None


def scaled(limit: int, *, surge: bool | None = None) -> int:
    """The limit as it applies now: divided by APART_SURGE_DIVISOR in surge mode (at least 1)."""
    if surge is None:
        surge = in_surge()
    return max(1, limit // max(1, settings.APART_SURGE_DIVISOR)) if surge else limit


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_at: datetime | None = None
    site_wide: bool = False  # refused by the site-wide quota, not by the address's own


def count(action: str, *, address: str, per_address: int, window: timedelta) -> Verdict:
    """Count one attempt of ``action`` from ``address`` against its per-address quota, then (if
    it passed) against the site-wide one; one atomic statement each."""
    surge = in_surge()
    mine = ratelimit.hit(
        f"{action}:{address or 'unknown'}", limit=scaled(per_address, surge=surge), window=window
    )
    if not mine.allowed:
        return Verdict(allowed=False, retry_at=mine.retry_at)
    site = ratelimit.hit(
        f"global:{action}",
        # "registration:step1" is counted under the "registration" quota
        limit=scaled(settings.APART_GLOBAL_QUOTAS[action.split(":")[0]], surge=surge),
        window=timedelta(hours=1),
    )
    if not site.allowed:
        return Verdict(allowed=False, retry_at=site.retry_at, site_wide=True)
    return Verdict(allowed=True)
