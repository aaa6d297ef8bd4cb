"""Import one INSEE stock file into the directory: stream, check, batch, upsert, report."""

import csv
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import connection

from apart.directory.importer.cutting import blocks
from apart.directory.importer.files import (
    BAD_ENCODING,
    CsvReader,
    DecodedLines,
    StockFileError,
    csv_reader,
    open_stock_file,
    read_header,
)
from apart.directory.importer.postgres import PostgresImport
from apart.directory.importer.schema import RowParser, StockSchema
from apart.directory.importer.writers import Row, SqliteWriter

BATCH_SIZE = 100_000
BAD_ROWS_SHOWN = 20
PROGRESS_EVERY = 16_384  # rows between two progress callbacks (a power of two: cheap test)
HEADER_LINE = 1


@dataclass
class ImportReport:
    label: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    bad_rows: int = 0
    bad_samples: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return self.rows_read - self.bad_rows

    @property
    def unchanged(self) -> int:
        return self.imported - self.created - self.updated

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    def add_bad_rows(self, count: int, samples: list[tuple[int, str]]) -> None:
        """Count rejected rows; keep the BAD_ROWS_SHOWN first ones by line number."""
        self.bad_rows += count
        self.bad_samples = sorted(self.bad_samples + samples)[:BAD_ROWS_SHOWN]


Progress = Callable[[ImportReport], None]


def _valid_rows(
    reader: CsvReader,
    lines: DecodedLines,
    parse: RowParser,
    report: ImportReport,
    progress: Progress | None,
) -> Iterator[Row]:
    """Python path: yield the rows to write, count and remember the rejected ones."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rows_read += 1
            line = reader.line_num + HEADER_LINE
            lines.record_is_bad(line)
            report.add_bad_rows(1, [(line, f"CSV mal formé ({exc})")])
            continue
        if not record:
            continue  # a blank line
        report.rows_read += 1
        line = reader.line_num + HEADER_LINE
        if lines.bad_lines and lines.record_is_bad(line):
            report.add_bad_rows(1, [(line, BAD_ENCODING)])
            continue
        parsed = parse(record)
        if isinstance(parsed, str):
            report.add_bad_rows(1, [(line, parsed)])
        else:
            yield parsed
        if progress is not None and report.rows_read % PROGRESS_EVERY == 0:
            progress(report)


class _Batches:
    """Cut the row stream into batches of at most ``size`` rows."""

    def __init__(self, rows: Iterator[Row], size: int) -> None:
        self.rows = rows
        self.size = size
        self.exhausted = False

    def __iter__(self) -> Iterator[Iterator[Row]]:
        while not self.exhausted:
            yield self._one_batch()

    def _one_batch(self) -> Iterator[Row]:
        for count, row in enumerate(self.rows, start=1):
            yield row
            if count >= self.size:
                return
        self.exhausted = True


def _import_sqlite(
    handle: IO[bytes],
    schema: StockSchema,
    columns: dict[str, int],
    width: int,
    *,
    batch_size: int,
    progress: Progress | None,
    report: ImportReport,
) -> None:
    lines = DecodedLines(handle, first_line=HEADER_LINE)
    reader = csv_reader(lines)
    writer = SqliteWriter(schema)
    writer.prepare()
    rows = _valid_rows(reader, lines, schema.make_parser(columns, width), report, progress)
    for batch in _Batches(rows, batch_size):
        writer.write_batch(batch)
    counts = writer.finish()
    report.created, report.updated = counts.created, counts.updated


def _import_postgres(
    handle: IO[bytes],
    schema: StockSchema,
    columns: dict[str, int],
    width: int,
    *,
    batch_size: int,
    progress: Progress | None,
    report: ImportReport,
) -> None:
    importer = PostgresImport(schema, columns, width)
    importer.prepare()
    try:
        for first_line, block, lines in blocks(handle, HEADER_LINE, batch_size):
            report.rows_read += importer.write_block(first_line, block, lines)
            del block
            if progress is not None:
                progress(report)
        for outcome in importer.finish():
            report.created += outcome.created
            report.updated += outcome.updated
            report.add_bad_rows(outcome.bad_rows, outcome.bad_samples)
    finally:
        importer.close()


def import_stock_file(
    path: str | Path,
    schema: StockSchema,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one stock file; raise StockFileError (French message) if it cannot be read.

    The header is checked before anything is written; each batch is one transaction, so an
    interruption leaves only whole batches written, each row old or new, never half-written.
    """
    path = Path(path)
    report = ImportReport(label=schema.label)
    started = time.monotonic()
    if connection.vendor not in {"postgresql", "sqlite"}:
        raise StockFileError("import_sirene ne sait écrire que dans PostgreSQL ou SQLite.")
    run = _import_postgres if connection.vendor == "postgresql" else _import_sqlite
    with open_stock_file(path) as handle:
        columns, width = read_header(handle, path=path, required=schema.required)
        try:
            run(
                handle,
                schema,
                columns,
                width,
                batch_size=batch_size,
                progress=progress,
                report=report,
            )
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise StockFileError(
                f"Lecture de {path.name} interrompue après {report.rows_read} lignes ({exc}). "
                f"Les lots déjà validés sont importés ; le lot en cours a été annulé. "
                f"Relancez l'import avec un fichier corrigé : il met à jour sans dupliquer."
            ) from exc
    report.seconds = time.monotonic() - started
    if progress is not None:
        progress(report)
    return report
