"""First load of an empty directory table on PostgreSQL: without its indexes.

Maintaining the primary key and the unique index row by row costs more than the rest of the
insert; a first load (the national stock into an empty table) therefore drops the table's
primary key and unique constraint, appends the chunks with their line numbers as ids (so
the ids follow the file's order), and re-creates both at the end, each with one sorted index
build. A key repeated in the file makes the unique build fail: the older rows of that key
(lower ids, earlier lines) are then deleted (the last version wins, as in the row-by-row
path) and the build is run again. An interrupted load leaves the table without its
constraints; the next import puts them back before anything else (``ensure_keys``). Imports
are serialised by an advisory lock, and nothing else writes to these tables, so nothing can
write while the constraints are away.
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


def _primary_key(schema: StockSchema) -> str:
    return f"{schema.table}_pkey"


def _constraints(cursor: Any, schema: StockSchema) -> set[str]:
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname IN (%s, %s)",
        [schema.table, _primary_key(schema), schema.unique_constraint],
    )
    return {name for (name,) in cursor.fetchall()}


def drop_keys(cursor: Any, schema: StockSchema) -> None:
    cursor.execute(
        f"ALTER TABLE {schema.table} DROP CONSTRAINT {schema.unique_constraint},"
        f" DROP CONSTRAINT {_primary_key(schema)}"
    )


def ensure_keys(connection: Any, schema: StockSchema) -> int:
    """Put the primary key and the unique constraint back if they are missing; return the
    older duplicate rows removed to make that possible. ``connection`` is a psycopg
    connection in autocommit."""
    with connection.cursor() as cursor:
        present = _constraints(cursor, schema)
    if _primary_key(schema) not in present:
        primary = f"ADD CONSTRAINT {_primary_key(schema)} PRIMARY KEY (id)"
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(f"ALTER TABLE {schema.table} {primary}")
    if schema.unique_constraint in present:
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
