"""SQLite writer: one batch = one transaction = one executemany of an upsert, so a re-import
updates rows in place and never duplicates them, and an interrupted import leaves every row
either in its old or in its new version. Rows are streamed to sqlite3, never listed; unchanged
rows are not rewritten (WHERE ... IS NOT). (PostgreSQL has its own path: postgres.py.)
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from apart.directory.importer.schema import StockSchema

Row = tuple[object, ...]


def _raw_connection() -> Any:
    """The sqlite3 connection under Django's (for executemany and total_changes)."""
    connection.ensure_connection()
    return connection.connection


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0


class SqliteWriter:
    def __init__(self, schema: StockSchema) -> None:
        self.schema = schema
        table = schema.table
        columns = ", ".join(schema.db_columns)
        data_columns = [c for c in schema.db_columns if c != schema.key]
        placeholders = ", ".join(["?"] * len(schema.db_columns))
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
        with transaction.atomic():
            raw = _raw_connection()
            before = raw.total_changes
            # The sqlite3 connection itself: Django's cursor wrapper would tee (keep) the rows.
            raw.executemany(self.upsert_sql, rows)
            self.changes += raw.total_changes - before

    def finish(self) -> WriteCounts:
        created = self._count() - self.rows_before
        return WriteCounts(created=created, updated=self.changes - created)
