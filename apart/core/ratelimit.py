"""Rate limits that hold across processes: one atomic database upsert, or Redis when configured.

Each key has a fixed window that opens at its first counted attempt and lasts ``window``; at most
``limit`` attempts are allowed inside it. ``hit`` counts one attempt and says whether it was
within the limit; ``peek`` says whether one more attempt would be allowed, without counting.

Atomicity: the database backend is a single ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``
statement (PostgreSQL takes a row lock, SQLite serialises writers), the Redis backend a
``MULTI``/``EXEC`` block (``SET NX EX`` + ``INCR`` + ``PTTL``); parallel attempts therefore all get
distinct counts and no more than ``limit`` of them are allowed. Never in process memory.

The database counter is written on the caller's connection: call ``hit`` outside a transaction
that may roll back (a rolled-back failure must still count).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection

_KEY_MAX = 200


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    count: int
    retry_at: datetime | None


def hit(key: str, *, limit: int, window: timedelta) -> RateLimit:
    """Count one attempt for ``key``; ``allowed`` is False once more than ``limit`` attempts fell
    in the current window (``retry_at`` is then the end of that window)."""
    key = _storage_key(key)
    if settings.REDIS_URL:
        count, ends_at = _redis_hit(key, window)
    else:
        count, ends_at = _db_hit(key, window)
    allowed = count <= limit
    return RateLimit(allowed=allowed, count=count, retry_at=None if allowed else _dt(ends_at))


def peek(key: str, *, limit: int, window: timedelta) -> RateLimit:
    """Whether one more attempt would be allowed now, without counting it."""
    key = _storage_key(key)
    if settings.REDIS_URL:
        count, ends_at = _redis_peek(key)
    else:
        count, ends_at = _db_peek(key)
    allowed = count < limit
    return RateLimit(allowed=allowed, count=count, retry_at=None if allowed else _dt(ends_at))


def reset(key: str) -> None:
    """Forget every attempt counted for ``key`` (e.g. after a successful login)."""
    key = _storage_key(key)
    if settings.REDIS_URL:
        _redis().delete(_redis_prefix() + key)
    else:
        from apart.core.models import RateLimitCounter

        RateLimitCounter.objects.filter(key=key).delete()


def purge_expired() -> int:
    """Delete database counters whose window is over (Redis expires its keys by itself)."""
    from apart.core.models import RateLimitCounter

    deleted, _ = RateLimitCounter.objects.filter(expires_at__lte=time.time()).delete()
    return deleted


def _storage_key(key: str) -> str:
    # Keys often embed what a user typed: anything long or unprintable (NUL bytes, control
    # characters, odd Unicode) is stored as its hash so that it can neither break the SQL column
    # nor collide after truncation.
    if len(key) <= _KEY_MAX and key.isascii() and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


# --- Database backend --------------------------------------------------------------------------

_UPSERT = """
INSERT INTO core_ratelimitcounter (key, count, window_started_at, expires_at)
VALUES (%s, 1, %s, %s)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN core_ratelimitcounter.expires_at <= %s THEN 1
                 ELSE core_ratelimitcounter.count + 1 END,
    window_started_at = CASE WHEN core_ratelimitcounter.expires_at <= %s THEN %s
                             ELSE core_ratelimitcounter.window_started_at END,
    expires_at = CASE WHEN core_ratelimitcounter.expires_at <= %s THEN %s
                      ELSE core_ratelimitcounter.expires_at END
RETURNING count, expires_at
"""


def _db_hit(key: str, window: timedelta) -> tuple[int, float]:
    now = time.time()
    ends = now + window.total_seconds()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key, now, ends, now, now, now, now, ends])
        count, expires_at = cursor.fetchone()
    return int(count), float(expires_at)


def _db_peek(key: str) -> tuple[int, float]:
    from apart.core.models import RateLimitCounter

    now = time.time()
    row = RateLimitCounter.objects.filter(key=key, expires_at__gt=now).first()
    if row is None:
        return 0, now
    return row.count, row.expires_at


# --- Redis backend -----------------------------------------------------------------------------


@cache
def _redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


def _redis_prefix() -> str:
    # Tests give each test its own prefix (Redis is not rolled back between tests).
    return str(getattr(settings, "APART_RATELIMIT_REDIS_PREFIX", "apart:ratelimit:"))


def _redis() -> Any:
    return _redis_client(settings.REDIS_URL)


def _redis_hit(key: str, window: timedelta) -> tuple[int, float]:
    name = _redis_prefix() + key
    window_ms = max(1, int(window.total_seconds() * 1000))
    pipe = _redis().pipeline(transaction=True)
    pipe.set(name, 0, px=window_ms, nx=True)
    pipe.incr(name)
    pipe.pttl(name)
    _, count, ttl_ms = pipe.execute()
    return int(count), time.time() + max(int(ttl_ms), 0) / 1000


def _redis_peek(key: str) -> tuple[int, float]:
    name = _redis_prefix() + key
    pipe = _redis().pipeline(transaction=True)
    pipe.get(name)
    pipe.pttl(name)
    raw, ttl_ms = pipe.execute()
    if raw is None or int(ttl_ms) <= 0:
        return 0, time.time()
    return int(raw), time.time() + int(ttl_ms) / 1000
