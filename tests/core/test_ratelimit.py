import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from apart.core import ratelimit

WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15" if request.param == "redis" else ""
    return request.param


@pytest.mark.django_db
def test_attempts_up_to_the_limit_are_allowed(backend):
    results = [ratelimit.hit("k", limit=3, window=WINDOW) for _ in range(3)]

    assert [r.allowed for r in results] == [True, True, True]
    assert [r.count for r in results] == [1, 2, 3]
    assert results[-1].retry_at is None


@pytest.mark.django_db
def test_the_attempt_past_the_limit_is_refused_until_the_window_ends(backend):
    before = time.time()
    for _ in range(3):
        ratelimit.hit("k", limit=3, window=WINDOW)

    refused = ratelimit.hit("k", limit=3, window=WINDOW)

    assert not refused.allowed
    assert refused.count == 4
    assert refused.retry_at is not None
    assert before + 899 <= refused.retry_at.timestamp() <= time.time() + 901


@pytest.mark.django_db
def test_peek_tells_whether_one_more_attempt_would_pass_without_counting(backend):
    ratelimit.hit("k", limit=2, window=WINDOW)
    assert ratelimit.peek("k", limit=2, window=WINDOW).allowed
    ratelimit.hit("k", limit=2, window=WINDOW)

    blocked = ratelimit.peek("k", limit=2, window=WINDOW)

    assert not blocked.allowed
    assert blocked.count == 2
    assert blocked.retry_at is not None
    assert ratelimit.peek("k", limit=2, window=WINDOW).count == 2


@pytest.mark.django_db
def test_an_unknown_key_is_allowed(backend):
    assert ratelimit.peek("never-seen", limit=1, window=WINDOW) == ratelimit.RateLimit(
        allowed=True, count=0, retry_at=None
    )


@pytest.mark.django_db
def test_reset_forgets_the_attempts(backend):
    for _ in range(5):
        ratelimit.hit("k", limit=2, window=WINDOW)

    ratelimit.reset("k")

    assert ratelimit.hit("k", limit=2, window=WINDOW).count == 1


@pytest.mark.django_db
def test_keys_are_counted_separately(backend):
    ratelimit.hit("a", limit=1, window=WINDOW)

    assert ratelimit.hit("b", limit=1, window=WINDOW).allowed


@pytest.mark.django_db
def test_a_new_window_starts_once_the_previous_one_is_over(backend):
    short = timedelta(milliseconds=50)
    ratelimit.hit("k", limit=1, window=short)
    assert not ratelimit.hit("k", limit=1, window=short).allowed
    time.sleep(0.12)

    again = ratelimit.hit("k", limit=1, window=short)

    assert again.allowed
    assert again.count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key", ["login:\x00nul", "login:" + "x" * 5000, "login:ｇérard\u202e", "login:\ud800"]
)
def test_odd_keys_are_stored_safely(backend, key):
    assert ratelimit.hit(key, limit=1, window=WINDOW).count == 1
    assert ratelimit.hit(key, limit=1, window=WINDOW).count == 2
    assert ratelimit.peek(key, limit=1, window=WINDOW).count == 2


@pytest.mark.django_db
def test_purge_deletes_only_finished_windows(settings):
    settings.REDIS_URL = ""
    ratelimit.hit("old", limit=1, window=timedelta(milliseconds=1))
    ratelimit.hit("live", limit=1, window=WINDOW)
    time.sleep(0.01)

    assert ratelimit.purge_expired() == 1
    assert ratelimit.peek("live", limit=1, window=WINDOW).count == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_cannot_get_past_the_limit(backend):
    allowed: list[bool] = []
    barrier = threading.Barrier(12)

    def attempt() -> None:
        try:
            barrier.wait()
            allowed.append(ratelimit.hit("race", limit=5, window=WINDOW).allowed)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(allowed) == [False] * 7 + [True] * 5


@pytest.mark.django_db
def test_the_attempt_that_reaches_the_limit_starts_the_lock(backend):
    ratelimit.hit("k", limit=2, window=timedelta(seconds=5), lock=timedelta(hours=1))

    last = ratelimit.hit("k", limit=2, window=timedelta(seconds=5), lock=timedelta(hours=1))

    assert last.allowed
    assert last.ends_at is not None
    assert last.ends_at.timestamp() >= time.time() + 3590
    refused = ratelimit.hit("k", limit=2, window=timedelta(seconds=5), lock=timedelta(hours=1))
    assert not refused.allowed
    assert refused.retry_at == pytest.approx(last.ends_at, abs=timedelta(seconds=2))


@pytest.mark.django_db
def test_attempts_past_the_limit_do_not_push_the_lock_further(backend):
    lock = timedelta(seconds=30)
    for _ in range(2):
        first = ratelimit.hit("k", limit=2, window=WINDOW, lock=lock)

    later = [ratelimit.hit("k", limit=2, window=WINDOW, lock=lock) for _ in range(5)]

    assert first.ends_at is not None
    assert all(r.retry_at is not None for r in later)
    assert max(abs((r.retry_at - first.ends_at).total_seconds()) for r in later) < 1  # type: ignore[operator]


@pytest.mark.django_db
def test_a_zero_lock_ends_at_once(backend):
    for _ in range(3):
        ratelimit.hit("k", limit=3, window=WINDOW, lock=timedelta(0))
    time.sleep(0.01)

    assert ratelimit.hit("k", limit=3, window=WINDOW, lock=timedelta(0)).count == 1
