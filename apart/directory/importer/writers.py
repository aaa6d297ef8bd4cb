"""Database writers: one batch = one transaction = one upsert, so a re-import updates rows in
place and never duplicates them, and an interrupted import leaves every row either in its old
or in its new version.

PostgreSQL: COPY into a temporary staging table, then one INSERT ... ON CONFLICT DO UPDATE.
SQLite: executemany of an INSERT ... ON CONFLICT DO UPDATE (the rows are streamed, not listed).
Unchanged rows are not rewritten (the DO UPDATE has a WHERE ... IS DISTINCT FROM clause).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, transaction

from apart.directory.importer.schema import StockSchema

Row = tuple[object, ...]


def _raw_connection() -> Any:
    """The DB-API connection under Django's (psycopg's for COPY, sqlite3's for total_changes)."""
    connection.ensure_connection()
    return connection.connection


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0


class PostgresWriter:
    def __init__(self, schema: StockSchema) -> None:
        self.schema = schema
        self.stage = f"{schema.table}_stage"
        columns = ", ".join(schema.db_columns)
        data_columns = [c for c in schema.db_columns if c != schema.key]
        self.copy_sql = f"COPY {self.stage} ({columns}) FROM STDIN"
        self.upsert_sql = (
            f"WITH written AS ("  # noqa: S608 (identifiers are our constants)
            f" INSERT INTO {schema.table} AS t ({columns}) SELECT {columns} FROM {self.stage}"
            f" ON CONFLICT ({schema.key}) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in data_columns)
            + f" WHERE ({', '.join(f't.{c}' for c in data_columns)})"  # noqa: S608
            f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in data_columns)})"
            f" RETURNING (xmax = 0) AS inserted)"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)"
            f" FROM written"
        )
        self.counts = WriteCounts()

    def prepare(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.stage} ON COMMIT DELETE ROWS AS"  # noqa: S608
                f" SELECT {', '.join(self.schema.db_columns)} FROM {self.schema.table}"
                f" WITH NO DATA"
            )

    def write_batch(self, rows: Iterator[Row]) -> None:
        with transaction.atomic(), _raw_connection().cursor() as cursor:
            with cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(self.upsert_sql)
            created, updated = cursor.fetchone() or (0, 0)
        self.counts.created += created
        self.counts.updated += updated

    def finish(self) -> WriteCounts:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
        return self.counts


class SqliteWriter:
    def __init__(self, schema: StockSchema) -> None:
        self.schema = schema
        table = schema.table
        columns = ", ".join(schema.db_columns)
        data_columns = [c for c in schema.db_columns if c != schema.key]
        placeholders = ", ".join(["%s"] * len(schema.db_columns))
        self.upsert_sql = (
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            f" ON CONFLICT ({schema.key}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in data_columns)
            + f" WHERE ({', '.join(f'{table}.{c}' for c in data_columns)})"
            f" IS NOT ({', '.join(f'excluded.{c}' for c in data_columns)})"
        )
        self.rows_before = 0
        self.changes = 0

    def _count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {self.schema.table}")  # noqa: S608
            return int(cursor.fetchone()[0])

    def prepare(self) -> None:
        self.rows_before = self._count()

    def write_batch(self, rows: Iterator[Row]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            raw = _raw_connection()
            before = raw.total_changes
            cursor.executemany(self.upsert_sql, cast(Any, rows))  # streamed, never listed
            self.changes += raw.total_changes - before

    def finish(self) -> WriteCounts:
        created = self._count() - self.rows_before
        return WriteCounts(created=created, updated=self.changes - created)


Writer = PostgresWriter | SqliteWriter


def writer_for(schema: StockSchema) -> Writer:
    if connection.vendor == "postgresql":
        return PostgresWriter(schema)
    if connection.vendor == "sqlite":
        return SqliteWriter(schema)
    raise NotImplementedError(
        f"import_sirene supports PostgreSQL and SQLite, not {connection.vendor}"
    )
