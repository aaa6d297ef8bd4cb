"""Rate limits that hold across processes: one atomic database upsert, or Redis when configured.

Each key has a fixed window that opens at its first counted attempt and lasts ``window``; at most
``limit`` attempts are allowed inside it. ``hit`` counts one attempt and says whether it was
within the limit; ``peek`` says whether one more attempt would be allowed, without counting.
With ``lock``, the attempt that reaches ``limit`` also moves the end of the window to ``lock``
from now (a lockout that starts at the last allowed attempt), in the same atomic step: check,
increment and lock can never be separated by a parallel request.

Atomicity: one statement per call and per rule. The database backend is a single
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement (PostgreSQL takes a row lock, SQLite
serialises writers), the Redis backend one Lua script (run atomically by Redis); parallel attempts
therefore all get distinct counts and no more than ``limit`` of them are allowed. Never in process
memory.

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

from apart.core.models import RateLimitCounter

_KEY_MAX = 200


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    count: int
    retry_at: datetime | None
    # End of the current window (or of the lock), whether the attempt was allowed or not.
    ends_at: datetime | None = None


def hit(key: str, *, limit: int, window: timedelta, lock: timedelta | None = None) -> RateLimit:
    """Count one attempt for ``key``; ``allowed`` is False once more than ``limit`` attempts fell
    in the current window (``retry_at`` is then the end of that window).

    ``lock``: the attempt whose count reaches ``limit`` sets the end of the window to now +
    ``lock`` (attempts past the limit do not push it further)."""
    key = _storage_key(key)
    # Without a lock, no count ever "reaches" the lock (-1) and the window keeps its end.
    lock_at = limit if lock is not None else -1
    lock_seconds = lock.total_seconds() if lock is not None else window.total_seconds()
    if settings.REDIS_URL:
        count, ends_at = _redis_hit(key, window, lock_at=lock_at, lock_seconds=lock_seconds)
    else:
        count, ends_at = _db_hit(key, window, lock_at=lock_at, lock_seconds=lock_seconds)
    allowed = count <= limit
    return RateLimit(
        allowed=allowed,
        count=count,
        retry_at=None if allowed else _dt(ends_at),
        ends_at=_dt(ends_at),
    )


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
        RateLimitCounter.objects.filter(key=key).delete()


def purge_expired() -> int:
    """Delete database counters whose window is over (Redis expires its keys by itself)."""
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

# Every SET expression reads the row as it was before the statement (PostgreSQL and SQLite).
_UPSERT = """
INSERT INTO core_ratelimitcounter (key, count, window_started_at, expires_at)
VALUES (%(key)s, 1, %(now)s, %(first_ends)s)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN core_ratelimitcounter.expires_at <= %(now)s THEN 1
                 ELSE core_ratelimitcounter.count + 1 END,
    window_started_at = CASE WHEN core_ratelimitcounter.expires_at <= %(now)s THEN %(now)s
                             ELSE core_ratelimitcounter.window_started_at END,
    expires_at = CASE WHEN core_ratelimitcounter.expires_at <= %(now)s THEN %(first_ends)s
                      WHEN core_ratelimitcounter.count + 1 = %(lock_at)s THEN %(lock_ends)s
                      ELSE core_ratelimitcounter.expires_at END
RETURNING count, expires_at
"""


def _db_hit(key: str, window: timedelta, *, lock_at: int, lock_seconds: float) -> tuple[int, float]:
    now = time.time()
    lock_ends = now + lock_seconds
    first_ends = lock_ends if 0 <= lock_at <= 1 else now + window.total_seconds()
    params: dict[str, str | int | float] = {
        "key": key,
        "now": now,
        "first_ends": first_ends,
        "lock_ends": lock_ends,
        "lock_at": lock_at,
    }
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, params)
        count, expires_at = cursor.fetchone()
    return int(count), float(expires_at)


def _db_peek(key: str) -> tuple[int, float]:
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


# KEYS[1] counter; ARGV: window ms, count that locks (-1: none), lock ms. Redis runs a script as
# one atomic step.
_REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
local window_ms = tonumber(ARGV[1])
local lock_at = tonumber(ARGV[2])
local lock_ms = tonumber(ARGV[3])
if count == 1 then
    if lock_at == 0 or lock_at == 1 then window_ms = lock_ms end
    redis.call('PEXPIRE', KEYS[1], math.max(window_ms, 1))
elseif count == lock_at then
    redis.call('PEXPIRE', KEYS[1], math.max(lock_ms, 1))
end
return {count, redis.call('PTTL', KEYS[1])}
"""


def _redis_hit(
    key: str, window: timedelta, *, lock_at: int, lock_seconds: float
) -> tuple[int, float]:
    name = _redis_prefix() + key
    window_ms = max(1, int(window.total_seconds() * 1000))
    lock_ms = max(1, int(lock_seconds * 1000))
    count, ttl_ms = _redis().eval(_REDIS_HIT, 1, name, window_ms, lock_at, lock_ms)
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
