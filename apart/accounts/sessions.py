"""Sessions indexed per account, so that all of them can be ended at the moment of a decision.

Django cannot list the sessions of a user (the database engine stores them encoded, the cache
engines in the cache only). The login writes one ``AccountSession`` row with the new session
key; ``end_sessions`` deletes each indexed session through the configured engine
(``SESSION_ENGINE``: database, cache or cached_db alike), then the rows. The per-request access
check (apart.accounts.middleware.AccountStateMiddleware) is the second line: a session missed
here (opened before the index existed) still loses access at its next request.
"""

from __future__ import annotations

import time
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from apart.accounts.models import Account, AccountSession


def _store(session_key: str | None = None) -> SessionBase:
    engine: Any = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key)  # type: ignore[no-any-return]


def register_session(*, request: HttpRequest, account: Account) -> None:
    """Index the session just opened for ``account`` (call it right after auth.login)."""
    session = request.session
    if session.session_key is None:
        # login() cycled the key; saving now gives the session its key (the middleware saves
        # it again at the end of the request).
        session.save()
    key = session.session_key
    if key:
        # One statement (INSERT ... ON CONFLICT DO UPDATE): the key is new, or already ours.
        AccountSession.objects.bulk_create(
            [AccountSession(session_key=key, account=account)],
            update_conflicts=True,
            unique_fields=["session_key"],
            update_fields=["account"],
        )
    # The account's rows older than the absolute session lifetime point at sessions that are
    # over: they go here, so the index never grows beyond the sessions that may still be open.
    AccountSession.objects.filter(
        account=account,
        created_at__lt=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE),
    ).delete()


def _access_check_seconds() -> int:
    return min(int(settings.APART_ACCESS_CHECK_SECONDS), 60)


# (account id, session key) -> when the access checks of that session last passed, in this
# process. In process memory, not in Redis: the verdict is read on every request of every session
# and a round trip to Redis cost as much as the rest of the check's bookkeeping. Each worker
# process checks a session at most once per APART_ACCESS_CHECK_SECONDS, so a verdict is never
# older than the setting wherever the request lands; a session ended meanwhile (end_sessions)
# is gone from the session store, so its stale verdict opens nothing.
_verdicts: dict[tuple[Any, str | None], float] = {}
_VERDICTS_KEPT = 10_000  # past this, verdicts over the longest allowed age (60 s) are dropped


def remember_access_checked(*, request: HttpRequest, account: Account) -> None:
    """The access checks of this session (login lock, habilitation gate: AccountStateMiddleware)
    passed just now: its next requests skip them for APART_ACCESS_CHECK_SECONDS (≤ 60 s)."""
    now = time.monotonic()
    if len(_verdicts) >= _VERDICTS_KEPT:
        for key, checked_at in list(_verdicts.items()):
            if now - checked_at >= 60:
                _verdicts.pop(key, None)
    _verdicts[(account.pk, request.session.session_key)] = now


def access_recently_checked(*, request: HttpRequest, account: Account) -> bool:
    """Whether the checks passed less than APART_ACCESS_CHECK_SECONDS ago (as the setting is
    now: lowering it shortens the verdicts already given)."""
    checked_at = _verdicts.get((account.pk, request.session.session_key))
    if checked_at is None:
        return False
    return time.monotonic() - checked_at < _access_check_seconds()


def forget_session(session_key: str | None) -> None:
    """Drop the index row of a session that ended by itself (logout)."""
    if session_key:
        AccountSession.objects.filter(session_key=session_key).delete()


def end_sessions(*, account: Account, keep_session_key: str | None = None) -> int:
    """End every session of ``account`` (but ``keep_session_key``): its data is deleted from the
    session store, so the cookie opens nothing any more. Returns how many were ended.

    Safe inside a transaction: the store is written at once (a rollback of the caller cannot
    bring a session back, which errs on the safe side)."""
    rows = list(
        AccountSession.objects.filter(account=account)
        .exclude(session_key=keep_session_key or "")
        .values_list("pk", "session_key")
    )
    for _, key in rows:
        _store(key).delete(key)
        _verdicts.pop((account.pk, key), None)
    with transaction.atomic():
        AccountSession.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    return len(rows)
