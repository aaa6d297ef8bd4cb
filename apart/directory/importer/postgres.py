"""PostgreSQL fast path: the file's own bytes go to COPY, the rules run in SQL.

Python only cuts the file into blocks of whole records (``cutting.blocks``: lines read in C, a block
ends where the count of quotes is even) and hands each block to COPY as it is: PostgreSQL
splits the records into a staging table with one text column per column of the file
(UNLOGGED: nothing of it goes to the WAL) whose identity column, started at the block's first
line, numbers the rows. Then, in one transaction per block, SQL rejects the bad rows (with
their line numbers), keeps the last version of a SIRET repeated in the block and merges the
rest into the directory (INSERT of new keys, UPDATE of changed rows).

Run from a command (outside any transaction), block k is merged on a second connection while
block k+1 is copied, so that both cores work. COPY's numbering holds only if every line is
one record: if COPY refuses a block (wrong number of columns, broken quoting, bytes that are
not UTF-8, NUL) or stores fewer rows than the block has lines (a quoted line break, a blank
line, a line "\\." that ends COPY's input), that block alone goes through Python: records
cut line by line, the malformed ones reported with their line numbers, the needed columns of
the others copied with their line numbers.
"""

import io
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.db import connection, transaction

from apart.directory.importer import bulk
from apart.directory.importer.cutting import Narrower, records
from apart.directory.importer.schema import StockSchema

BAD_ROWS_KEPT = 20
COPY_WRITE = 1 << 20  # bytes per write to COPY


@dataclass
class ChunkOutcome:
    created: int = 0
    updated: int = 0
    bad_rows: int = 0
    bad_samples: list[tuple[int, str]] = field(default_factory=list)


class MergeSql:
    """The SQL of one schema over staging tables whose columns are c0, c1... in file order.

    Fast path (a first import): one INSERT of the valid rows straight from the raw table,
    inside a savepoint. If it inserted every row of the chunk, nothing else can be wrong
    (no bad row, no key already there, no key repeated: that would have raised). Otherwise the
    careful path: one pass over the raw table into a narrow one with each row's rejection
    reason, the bad rows' report, the last version of a repeated key, and an upsert.
    """

    def __init__(self, schema: StockSchema, columns: dict[str, int], *, raw: str, clean: str):
        names = {name: f"c{index}" for name, index in columns.items()}
        self.schema = schema
        self.raw, self.clean = raw, clean
        exprs = [expression.format(**names) for expression in schema.sql_columns]
        checks = [
            (cond.format(**names), reason.format(**names)) for cond, reason in schema.sql_checks
        ]
        bad = " OR ".join(f"({cond})" for cond, _ in checks)
        reason = "CASE " + " ".join(f"WHEN {c} THEN {r}" for c, r in checks) + " END"
        key = schema.key
        cols = ", ".join(schema.db_columns)
        data = [c for c in schema.db_columns if c != key]
        select = ", ".join(
            f"{expr} AS {col}" for expr, col in zip(exprs, schema.db_columns, strict=True)
        )
        self.settings = [
            # Readers are not blocked; a concurrent import cannot insert a key in between.
            f"LOCK TABLE {schema.table} IN SHARE ROW EXCLUSIVE MODE",
            # Match each staged row through the unique index, never by scanning the directory
            # (whose statistics may say it is empty while it is being filled).
            "SET LOCAL enable_hashjoin = off",
            "SET LOCAL enable_mergejoin = off",
            "SET LOCAL enable_seqscan = off",
            "SET LOCAL work_mem = '64MB'",
        ]
        self.fast_insert = (
            f"INSERT INTO {schema.table} ({cols}) SELECT {select} FROM {raw}"  # noqa: S608
            f" WHERE NOT ({bad}) AND NOT EXISTS"
            f" (SELECT FROM {schema.table} AS t WHERE t.{key} = {names[key]})"
        )
        # A first load numbers the rows by their line: ids then follow the file's order
        # without sorting (the last version of a repeated key has the highest id, which
        # bulk.ensure_keys keeps), and the identity sequence is moved past them in the same
        # transaction, so that a later insert never reuses one.
        self.bulk_insert = (
            f"INSERT INTO {schema.table} (id, {cols})"  # noqa: S608
            f" SELECT line_number, {select} FROM {raw} WHERE NOT ({bad})"
        )
        self.bulk_sequence = (
            "SELECT setval(seq, greatest((SELECT max(line_number) FROM"  # noqa: S608
            f" {raw}), pg_sequence_last_value(seq))) FROM (SELECT"
            f" pg_get_serial_sequence('{schema.table}', 'id')::regclass AS seq) AS s"
        )
        self.raw_bad = (
            f"SELECT line_number, {reason} FROM {raw} WHERE {bad}"  # noqa: S608
            f" ORDER BY line_number LIMIT {BAD_ROWS_KEPT}"
        )
        self.raw_bad_count = f"SELECT count(*) FROM {raw} WHERE {bad}"  # noqa: S608
        # Typed by the expressions (text, boolean), not by the directory's columns: a bad row's
        # over-long value must reach the reason column, not fail the chunk.
        self.create_clean = (
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {clean} ON COMMIT DELETE ROWS AS"  # noqa: S608
            f" SELECT line_number, NULL::text AS reason, {select} FROM {raw} WITH NO DATA"
        )
        self.fill_clean = (
            f"INSERT INTO {clean} (line_number, reason, {cols})"  # noqa: S608
            f" SELECT line_number, CASE WHEN {bad} THEN {reason} END, {select} FROM {raw}"
        )
        self.count_bad = f"SELECT count(*) FROM {clean} WHERE reason IS NOT NULL"  # noqa: S608
        self.sample_bad = (
            f"SELECT line_number, reason FROM {clean} WHERE reason IS NOT NULL"  # noqa: S608
            f" ORDER BY line_number LIMIT {BAD_ROWS_KEPT}"
        )
        self.has_repeats = (
            f"SELECT EXISTS (SELECT FROM {clean} WHERE reason IS NULL"  # noqa: S608
            f" GROUP BY {key} HAVING count(*) > 1)"
        )
        self.keep_last_version = (
            f"DELETE FROM {clean} AS a USING {clean} AS b"  # noqa: S608
            f" WHERE a.{key} = b.{key} AND a.reason IS NULL AND b.reason IS NULL"
            f" AND a.line_number < b.line_number"
        )
        self.upsert = (
            f"WITH written AS (INSERT INTO {schema.table} AS t ({cols})"  # noqa: S608
            f" SELECT {cols} FROM {clean} WHERE reason IS NULL"
            f" ON CONFLICT ({key}) DO UPDATE SET "
            + ", ".join(f"{c} = EXCLUDED.{c}" for c in data)
            + f" WHERE ({', '.join(f't.{c}' for c in data)})"  # noqa: S608
            f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in data)})"
            f" RETURNING (xmax = 0) AS inserted)"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)"
            f" FROM written"
        )

    def run_bulk(self, cursor: Any, *, rows: int) -> ChunkOutcome:
        """First load without indexes (bulk.py): append the valid rows, numbered by line."""
        outcome = ChunkOutcome()
        cursor.execute(self.bulk_insert)
        outcome.created = cursor.rowcount
        cursor.execute(self.bulk_sequence)
        if outcome.created < rows:
            cursor.execute(self.raw_bad_count)
            outcome.bad_rows = cursor.fetchone()[0]
            cursor.execute(self.raw_bad)
            outcome.bad_samples = [(int(line), str(reason)) for line, reason in cursor.fetchall()]
        cursor.execute(f"TRUNCATE {self.raw}")
        return outcome

    def run(self, cursor: Any, *, rows: int, try_fast: bool) -> ChunkOutcome:
        """Merge the raw staging table (``rows`` records) into the directory; the caller
        holds a transaction."""
        outcome = ChunkOutcome()
        for statement in self.settings:
            cursor.execute(statement)
        if try_fast:
            cursor.execute("SAVEPOINT sirene_fast")
            try:
                cursor.execute(self.fast_insert)
                outcome.created = cursor.rowcount
            except psycopg.errors.UniqueViolation:  # a key repeated within the chunk
                cursor.execute("ROLLBACK TO SAVEPOINT sirene_fast")
                outcome.created = 0
            cursor.execute("RELEASE SAVEPOINT sirene_fast")
            if outcome.created == rows:
                cursor.execute(f"TRUNCATE {self.raw}")
                return outcome
        cursor.execute(self.create_clean)
        cursor.execute(self.fill_clean)
        cursor.execute(self.count_bad)
        outcome.bad_rows = cursor.fetchone()[0]
        if outcome.bad_rows:
            cursor.execute(self.sample_bad)
            outcome.bad_samples = [(int(line), str(reason)) for line, reason in cursor.fetchall()]
        for setting in ("enable_hashjoin", "enable_mergejoin", "enable_seqscan"):
            cursor.execute(f"SET LOCAL {setting} = on")  # ON CONFLICT needs no join hints
        cursor.execute(self.has_repeats)
        if cursor.fetchone()[0]:
            cursor.execute(self.keep_last_version)  # a key repeated in the chunk: last one wins
        cursor.execute(self.upsert)
        created, updated = cursor.fetchone()
        outcome.created += created  # rows the fast insert wrote count as unchanged here
        outcome.updated = updated
        cursor.execute(f"TRUNCATE {self.raw}, {self.clean}")
        return outcome


class _Refused(Exception):
    """COPY did not take the block as one record per line (see PostgresImport.write_block)."""


class PostgresImport:
    """COPY blocks into a raw staging table and merge each one (see the module docstring)."""

    def __init__(self, schema: StockSchema, columns: dict[str, int], width: int) -> None:
        self.schema = schema
        self.width = width  # staging columns: one per column of the file, c0, c1...
        self.narrower = Narrower(schema, columns, width)
        # The Python path writes the needed columns only, in the order of schema.required.
        self.narrow_columns = ", ".join(
            ["line_number", *(f"c{columns[name]}" for name in schema.required)]
        )
        self.pipelined = not connection.in_atomic_block
        suffix = f"_{id(self)}" if self.pipelined else ""
        self.stages = [f"{schema.table}_raw{suffix}_{slot}" for slot in (0, 1)]
        if not self.pipelined:
            self.stages = self.stages[:1]
        self.sql = [
            MergeSql(schema, columns, raw=stage, clean=f"{schema.table}_clean")
            for stage in self.stages
        ]
        self.pending: deque[Future[ChunkOutcome]] = deque()
        self.outcomes: list[ChunkOutcome] = []
        self.chunks = 0
        self.merger: Any = None
        self.executor: ThreadPoolExecutor | None = None
        self.try_fast = True
        self.bulk = False

    def prepare(self) -> None:
        if self.pipelined:
            raw = _raw_connection()
            with raw.cursor() as cursor:
                bulk.lock_imports(cursor)
            bulk.ensure_keys(raw, self.schema)  # after an interrupted first load
            with raw.cursor() as cursor:
                if bulk.table_is_empty(cursor, self.schema):
                    bulk.drop_keys(cursor, self.schema)
                    self.bulk = True
        kind = "UNLOGGED TABLE" if self.pipelined else "TEMPORARY TABLE"
        columns = ", ".join(f"c{index} text" for index in range(self.width))
        with connection.cursor() as cursor:
            for stage in self.stages:
                cursor.execute(f"DROP TABLE IF EXISTS {stage}")
                # The sequence's values are taken 10,000 at a time by this session (the
                # only one to use it; setval discards what it held): a row's number costs
                # no access to the sequence's page, and the numbers stay consecutive.
                cursor.execute(
                    f"CREATE {kind} {stage} (line_number bigint"
                    f" GENERATED BY DEFAULT AS IDENTITY (CACHE 10000), {columns})"
                )
        if self.pipelined:
            self.merger = connection.get_new_connection(connection.get_connection_params())
            self.merger.autocommit = True
            self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sirene-merge")

    def _copy_block(self, stage: str, first_line: int, block: bytes, lines: int) -> int:
        """COPY the file's bytes as they are; each row numbered by the staging table's
        sequence, started at the block's first line. Raise _Refused, having written
        nothing, unless every line was exactly one record (the numbers are then the lines')."""
        if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
            raise _Refused  # a lone carriage return: COPY would take it for a line end
        raw = _raw_connection()
        copy_sql = f"COPY {stage} ({', '.join(f'c{i}' for i in range(self.width))})"
        with transaction.atomic(), raw.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'line_number'), %s, false)",
                [stage, first_line],
            )
            try:
                with cursor.copy(copy_sql + " FROM STDIN (FORMAT csv)") as copy:
                    view = memoryview(block)
                    for start in range(0, len(block), COPY_WRITE):
                        copy.write(view[start : start + COPY_WRITE])
            except psycopg.errors.DataError:  # columns, quoting, encoding, NUL
                raise _Refused from None
            # Fewer rows than lines: a record over several lines, a blank line, or a line
            # "\\." that ends COPY's input early. The Python path numbers those right.
            if cursor.rowcount != lines:
                raise _Refused
        return lines

    def _copy_narrowed(self, stage: str, first_line: int, block: bytes) -> tuple[int, int]:
        """The Python path for a block COPY refused: cut the records in Python, reject the
        malformed ones with their line numbers, COPY the needed columns of the others.
        Return (records read, rows staged)."""
        chunk = list(records(io.BytesIO(block), first_line - 1))
        lines, python_bad = self.narrower.narrow(chunk)
        copy_sql = f"COPY {stage} ({self.narrow_columns}) FROM STDIN (FORMAT csv)"
        try:
            self._copy(copy_sql, _pieces(lines))
        except psycopg.errors.DataError:  # bytes that are not UTF-8, NUL: check line by line
            lines, python_bad = self.narrower.narrow(chunk, careful=True)
            self._copy(copy_sql, _pieces(lines))
        if python_bad:
            self.outcomes.append(
                ChunkOutcome(bad_rows=len(python_bad), bad_samples=python_bad[:BAD_ROWS_KEPT])
            )
        return len(chunk), len(lines)

    def _copy(self, copy_sql: str, payload: Iterator[bytes]) -> None:
        raw = _raw_connection()
        with transaction.atomic(), raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for piece in payload:
                copy.write(piece)

    def _merge_pipelined(self, sql: MergeSql, rows: int) -> ChunkOutcome:
        with self.merger.transaction(), self.merger.cursor() as cursor:
            return self._merged(sql, cursor, rows)

    def _merge_here(self, sql: MergeSql, rows: int) -> ChunkOutcome:
        connection.ensure_connection()
        with transaction.atomic(), connection.connection.cursor() as cursor:  # type: ignore[union-attr]
            return self._merged(sql, cursor, rows)

    def _merged(self, sql: MergeSql, cursor: Any, rows: int) -> ChunkOutcome:
        if self.bulk:
            return sql.run_bulk(cursor, rows=rows)
        outcome = sql.run(cursor, rows=rows, try_fast=self.try_fast)
        # Once a chunk needed the careful path (a re-import, typically), the next ones would
        # too: stop paying for a fast attempt.
        self.try_fast = outcome.created == rows
        return outcome

    def write_block(self, first_line: int, block: bytes, lines: int) -> int:
        """Stage one block of whole records (``lines`` lines from line ``first_line``) and
        merge it (on the second connection when pipelined); return the records read."""
        slot = self.chunks % len(self.stages)
        self.chunks += 1
        if self.pipelined and len(self.pending) == len(self.stages):
            self.outcomes.append(self.pending.popleft().result())  # frees this staging table
        stage, sql = self.stages[slot], self.sql[slot]
        try:
            read = rows = self._copy_block(stage, first_line, block, lines)
        except _Refused:
            read, rows = self._copy_narrowed(stage, first_line, block)
        if self.pipelined:
            assert self.executor is not None  # noqa: S101 (prepare() was called)
            self.pending.append(self.executor.submit(self._merge_pipelined, sql, rows))
        else:
            self.outcomes.append(self._merge_here(sql, rows))
        return read

    def finish(self) -> list[ChunkOutcome]:
        while self.pending:
            self.outcomes.append(self.pending.popleft().result())
        if self.bulk:
            self.bulk = False
            removed = bulk.ensure_keys(_raw_connection(), self.schema)
            self.outcomes.append(ChunkOutcome(created=-removed))  # older versions of a key
        return self.outcomes

    def close(self) -> None:
        """Let submitted merges end (each is a whole chunk), put the unique constraint back
        if a first load stopped half-way, drop the staging tables, release the import lock."""
        if self.executor is not None:
            self.executor.shutdown(wait=True)
        if self.merger is not None:
            self.merger.close()
        if self.pipelined:
            raw = _raw_connection()
            if self.bulk:
                bulk.ensure_keys(raw, self.schema)
            with raw.cursor() as cursor:
                bulk.unlock_imports(cursor)
        with connection.cursor() as cursor:
            for stage in self.stages:
                cursor.execute(f"DROP TABLE IF EXISTS {stage}")


def _raw_connection() -> Any:
    """The psycopg connection under Django's (autocommit outside atomic blocks)."""
    connection.ensure_connection()
    return connection.connection


def _pieces(lines: list[bytes]) -> Iterator[bytes]:
    """COPY input in writes of about 1 MB."""
    buffer: list[bytes] = []
    size = 0
    for line in lines:
        buffer.append(line)
        size += len(line)
        if size > 1 << 20:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)
