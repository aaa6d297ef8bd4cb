"""First load of an empty directory table on PostgreSQL: without its unique index.

Inserting row by row into a unique index costs more than everything else of the import; a
first load (the national stock into an empty table) therefore drops the table's unique
constraint, appends the chunks in file order, and re-creates the constraint at the end with
one sorted index build. A key repeated in the file makes that build fail: the older rows of
that key are then deleted (the last version wins, as in the row-by-row path) and the build
is run again. An interrupted load leaves the table without its constraint; the next import
puts it back before anything else (``ensure_unique``). Imports are serialised by an advisory
lock, so no other import can write while the constraint is away.
"""

from typing import Any

import psycopg

from apart.directory.importer.schema import StockSchema

IMPORT_LOCK = "apart.directory.import_sirene"


def lock_imports(cursor: Any) -> None:
    """Wait until no other import runs (session lock, released by ``unlock_imports``)."""
    cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [IMPORT_LOCK])


def unlock_imports(cursor: Any) -> None:
    cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [IMPORT_LOCK])


def table_is_empty(cursor: Any, schema: StockSchema) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT FROM {schema.table})")  # noqa: S608
    return bool(cursor.fetchone()[0])


def _has_unique(cursor: Any, schema: StockSchema) -> bool:
    cursor.execute(
        "SELECT EXISTS (SELECT FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass)",
        [schema.unique_constraint, schema.table],
    )
    return bool(cursor.fetchone()[0])


def drop_unique(cursor: Any, schema: StockSchema) -> None:
    cursor.execute(f"ALTER TABLE {schema.table} DROP CONSTRAINT {schema.unique_constraint}")


def ensure_unique(connection: Any, schema: StockSchema) -> int:
    """Put the unique constraint back if it is missing; return the older duplicate rows
    removed to make that possible. ``connection`` is a psycopg connection in autocommit."""
    with connection.cursor() as cursor:
        if _has_unique(cursor, schema):
            return 0
    add = (
        f"ALTER TABLE {schema.table} ADD CONSTRAINT {schema.unique_constraint}"
        f" UNIQUE ({schema.key})"
    )
    try:
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(add)
        return 0
    except psycopg.errors.UniqueViolation:
        pass
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            f"DELETE FROM {schema.table} AS a USING {schema.table} AS b"  # noqa: S608
            f" WHERE a.{schema.key} = b.{schema.key} AND a.id < b.id"
        )
        removed = int(cursor.rowcount)
        cursor.execute(add)
    return removed
