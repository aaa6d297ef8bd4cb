"""Statements that PostgreSQL plans once per connection instead of once per request.

Django binds parameters on the client side (psycopg's ``ClientCursor``), so PostgreSQL parses and
plans every statement anew; it also turns psycopg's preparation off (``prepare_threshold`` None)
so that transaction-mode connection poolers keep working. The few hot statements written by hand
(the dashboard's, the account of an open session) go through ``prepared_cursor`` instead: a
server-side binding cursor whose statements are prepared on their first run on a connection,
then executed with their kept plan (PostgreSQL chooses between its generic plan and a custom one
after five runs). A prepared statement lives as long as its connection (DATABASE_CONN_MAX_AGE);
psycopg prepares it again on a new one. Behind a pooler in transaction mode (none in
docs/operations.md), this module is the one place to change.

The cursor is made as Django makes its own (health check of a persistent connection, database
errors translated, time zone of the connection, statements logged when queries are logged), so
that tests see these statements like any other. Other databases get Django's ordinary cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import DatabaseError, connection
from django.db.backends.utils import CursorWrapper

_ONLY_WHEN_ASKED = 2**31 - 1  # never prepared for having been run often: only with prepare=True


@cache
def _preparing_cursor_class() -> Any:
    import psycopg

    class PreparingCursor(psycopg.Cursor[Any]):
        """Server-side binding; every statement is prepared (kept per connection by psycopg)."""

        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            options["prepare"] = True
            return super().execute(query, params, **options)

    return PreparingCursor


@cache
def _debug_wrapper_class() -> Any:
    from django.db.backends.postgresql.base import CursorDebugWrapper

    class PreparedDebugWrapper(CursorDebugWrapper):
        """Logs the statement as written (psycopg keeps no text of a prepared execution)."""

        def execute(self, sql: Any, params: Any = None) -> Any:
            with self.debug_sql(sql, params, use_last_executed_query=False):
                return CursorWrapper.execute(self, sql, params)

    return PreparedDebugWrapper


def _psycopg_cursor() -> Any:
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg import adapters
    from psycopg.pq import Format

    raw_connection = connection.connection
    if raw_connection.prepare_threshold is None:
        # Django sets None, which makes psycopg ignore prepare=True too. Only server-side binding
        # cursors read it (Django's client-side ones never prepare): ours, which always ask.
        raw_connection.prepare_threshold = _ONLY_WHEN_ASKED
    cursor = _preparing_cursor_class()(raw_connection)
    # As DatabaseWrapper.create_cursor: the connection's time zone when settings changed it.
    loader = raw_connection.adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
    if connection.timezone != loader.timezone:
        register_tzloader(connection.timezone, cursor)
    return cursor


def prepared_cursor() -> CursorWrapper:
    """A cursor of the default connection whose statements keep their plan (PostgreSQL), to use
    as ``with prepared_cursor() as cursor:``. Parameters are ``%s`` placeholders, as usual."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    # What BaseDatabaseWrapper.cursor() does, with our cursor instead of create_cursor()'s.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _psycopg_cursor()
    connection.validate_thread_sharing()
    if connection.queries_logged:
        return _debug_wrapper_class()(cursor, connection)  # type: ignore[no-any-return]
    return connection.make_cursor(cursor)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetch_prepared(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one read-only statement run through ``prepared_cursor``.

    When the health check of a persistent connection is due (the first statement of a request:
    Django would send ``SELECT 1`` first, one more round trip on every request), this statement
    is the check: should it fail on a connection that turns out unusable (the server restarted,
    the link dropped), the connection is closed and the statement run once more on a new one,
    which is what Django's check would have done. Outside a transaction only, so that nothing
    of a caller's transaction is silently lost."""
    # The health check's state on Django's wrapper (CONN_HEALTH_CHECKS), untyped in its stubs.
    database: Any = connection
    check_due = (
        database.vendor == "postgresql"
        and database.connection is not None
        and database.health_check_enabled
        and not database.health_check_done
        and not database.in_atomic_block
    )
    if check_due:
        database.health_check_done = True
        try:
            return _fetch(sql, params)
        except DatabaseError:
            if connection.is_usable():
                raise  # the statement failed, not the connection
            connection.close()
    return _fetch(sql, params)
