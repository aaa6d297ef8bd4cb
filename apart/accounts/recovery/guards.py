"""Limits of the recovery journeys, on apart.core.ratelimit (atomic across processes).

- Secret answers: at most ``APART_RECOVERY_MAX_ANSWER_FAILURES`` attempts per subject within
  ``APART_RECOVERY_LOCK_MINUTES``; the attempt that reaches the limit with a wrong answer locks the
  subject for ``APART_RECOVERY_LOCK_MINUTES``. An attempt is counted *before* the answer is
  verified, so parallel requests cannot verify more answers than the limit allows.
- Two subjects are counted for every attempt: the value typed at step 1 (also for values that
  match no account, so that the lock looks the same whether the account exists or not) and the
  account itself (so that typing its login and its email does not double the attempts).
- Per client IP: posts of each step, and wrong captchas.
- Emails per subject and per hour, so that nobody floods a mailbox with reset links.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest

from apart.audit.services import client_ip
from apart.core import quotas, ratelimit


def keyed_digest(value: str) -> str:
    """HMAC-SHA256 (keyed with SECRET_KEY) of a typed value: stable, not reversible offline."""
    key = ("apart.recovery:" + settings.SECRET_KEY).encode()
    return hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _lock_window() -> timedelta:
    return timedelta(minutes=settings.APART_RECOVERY_LOCK_MINUTES)


@dataclass(frozen=True)
class AnswerGuard:
    """Counts secret-answer attempts for one subject and locks it after too many wrong ones."""

    subject: str  # "typed:<digest>" or "account:<pk>" or "nobody:<digest>"

    @property
    def _attempts_key(self) -> str:
        return f"recovery:answers:{self.subject}"

    @property
    def _lock_key(self) -> str:
        return f"recovery:lock:{self.subject}"

    def is_locked(self) -> bool:
        return not ratelimit.peek(self._lock_key, limit=1, window=_lock_window()).allowed

    def count_attempt(self) -> ratelimit.RateLimit:
        return ratelimit.hit(
            self._attempts_key,
            limit=settings.APART_RECOVERY_MAX_ANSWER_FAILURES,
            window=_lock_window(),
        )

    def lock(self) -> None:
        ratelimit.hit(self._lock_key, limit=1, window=_lock_window())

    def forget_attempts(self) -> None:
        """After a right answer: the wrong ones before it no longer count (the lock stays)."""
        ratelimit.reset(self._attempts_key)

    def clear(self) -> None:
        """After a password reset: attempts and lock are gone."""
        ratelimit.reset(self._attempts_key)
        ratelimit.reset(self._lock_key)


def typed_guard(*, flow: str, typed_key: str) -> AnswerGuard:
    return AnswerGuard(f"typed:{flow}:{keyed_digest(typed_key)[:40]}")


def account_guard(*, account_pk: int | None, typed_key: str) -> AnswerGuard:
    """The account's guard, or for an unknown value a guard of its own (same work either way)."""
    if account_pk is None:
        return AnswerGuard(f"nobody:{keyed_digest(typed_key)[:40]}")
    return AnswerGuard(f"account:{account_pk}")


def _ip_window() -> timedelta:
    return timedelta(minutes=settings.APART_RECOVERY_IP_WINDOW_MINUTES)


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def count_post(request: HttpRequest, *, step: str) -> bool:
    """Count one post of ``step`` from the client's IP and for the whole site (apart.core.quotas,
    surge mode included); False once over either quota."""
    return quotas.count(
        f"recovery:{step}",
        address=_ip(request),
        per_address=settings.APART_RECOVERY_IP_MAX_POSTS,
        window=_ip_window(),
    ).allowed


def captcha_blocked(request: HttpRequest) -> bool:
    """True once the client's IP failed too many captchas in the window."""
    return not ratelimit.peek(
        f"recovery:captcha:{_ip(request)}",
        limit=settings.APART_RECOVERY_IP_MAX_CAPTCHA_FAILURES,
        window=_ip_window(),
    ).allowed


def count_captcha_failure(request: HttpRequest) -> None:
    ratelimit.hit(
        f"recovery:captcha:{_ip(request)}",
        limit=settings.APART_RECOVERY_IP_MAX_CAPTCHA_FAILURES,
        window=_ip_window(),
    )


def count_email(*, subject: str) -> bool:
    """Count one recovery email for ``subject``; False once over the hourly limit."""
    return ratelimit.hit(
        f"recovery:emails:{subject}",
        limit=settings.APART_RECOVERY_MAX_EMAILS_PER_HOUR,
        window=timedelta(hours=1),
    ).allowed
