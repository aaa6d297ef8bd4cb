"""Killing a request's PostgreSQL connection at a chosen point, from outside the code under test.

A second connection takes ``LOCK TABLE <table> IN ACCESS EXCLUSIVE MODE``; the request runs in a
thread and blocks when its transaction reaches that table (its earlier writes done, uncommitted);
we find its backend in ``pg_stat_activity`` waiting on the lock and ``pg_terminate_backend`` it.
No hook in production code: the point is chosen by which table is locked.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connection


def _conninfo() -> str:
    s = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=s["NAME"],
        user=s.get("USER") or "postgres",
        host=s.get("HOST") or "127.0.0.1",
        port=str(s.get("PORT") or 5432),
        password=s.get("PASSWORD") or None,
    )


@dataclass
class Killed:
    response: Any
    terminated_pid: int
    waited_seconds: float


def kill_while_writing(table: str, send: Callable[[], Any], timeout: float = 15.0) -> Killed:
    """Run ``send()`` in a thread; terminate its backend once it waits for ``table``."""
    result: dict[str, Any] = {}
    with psycopg.connect(_conninfo()) as locker, psycopg.connect(_conninfo()) as killer:
        killer.autocommit = True
        locker.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')  # transaction open
        locker_pid = locker.info.backend_pid

        def run() -> None:
            try:
                result["response"] = send()
            finally:
                from django.db import connections

                connections.close_all()

        thread = threading.Thread(target=run)
        started = time.monotonic()
        thread.start()
        pid = None
        while time.monotonic() - started < timeout and pid is None:
            row = killer.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> %s AND %s = ANY(pg_blocking_pids(pid))",
                (killer.info.backend_pid, locker_pid),
            ).fetchone()
            pid = row[0] if row else None
            if pid is None:
                time.sleep(0.02)
        waited = time.monotonic() - started
        assert pid is not None, f"no request ever waited for {table}"
        killer.execute("SELECT pg_terminate_backend(%s)", (pid,))
        locker.rollback()
        thread.join(timeout)
        assert not thread.is_alive()
    return Killed(result.get("response"), pid, waited)
