"""Import one INSEE stock file into the directory: stream, check, batch, upsert, report."""

import csv
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from apart.directory.importer.files import (
    CsvReader,
    StockFileError,
    csv_reader,
    open_stock_file,
    read_header,
)
from apart.directory.importer.schema import RowParser, StockSchema
from apart.directory.importer.writers import Row, writer_for

BATCH_SIZE = 100_000
BAD_ROWS_SHOWN = 20
PROGRESS_EVERY = 16_384  # rows between two progress callbacks (a power of two: cheap test)


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

    def add_bad_row(self, line: int, reason: str) -> None:
        self.bad_rows += 1
        if len(self.bad_samples) < BAD_ROWS_SHOWN:
            self.bad_samples.append((line, reason))


Progress = Callable[[ImportReport], None]


def _valid_rows(
    reader: CsvReader, parse: RowParser, report: ImportReport, progress: Progress | None
) -> Iterator[Row]:
    """Yield the rows to write; count and remember the rejected ones with their line number."""
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report.rows_read += 1
            report.add_bad_row(reader.line_num, f"CSV mal formé ({exc})")
            continue
        report.rows_read += 1
        parsed = parse(record)
        if isinstance(parsed, str):
            report.add_bad_row(reader.line_num, parsed)
        else:
            yield parsed
        if progress is not None and report.rows_read % PROGRESS_EVERY == 0:
            progress(report)


class _Batches:
    """Cut the row stream into batches of at most ``size`` rows with distinct keys (a key seen
    twice in one batch would make a single INSERT ... ON CONFLICT touch a row twice)."""

    def __init__(self, rows: Iterator[Row], size: int) -> None:
        self.rows = rows
        self.size = size
        self.pending: Row | None = None
        self.exhausted = False

    def __iter__(self) -> Iterator[Iterator[Row]]:
        while not self.exhausted or self.pending is not None:
            yield self._one_batch()

    def _one_batch(self) -> Iterator[Row]:
        seen: set[object] = set()
        if self.pending is not None:
            row, self.pending = self.pending, None
            seen.add(row[0])
            yield row
        for row in self.rows:
            if row[0] in seen:
                self.pending = row
                return
            seen.add(row[0])
            yield row
            if len(seen) >= self.size:
                return
        self.exhausted = True


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
    with open_stock_file(path) as text:
        reader = csv_reader(text)
        columns, width = read_header(reader, path=path, required=schema.required)
        parse = schema.make_parser(columns, width)
        writer = writer_for(schema)
        writer.prepare()
        rows = _valid_rows(reader, parse, report, progress)
        try:
            for batch in _Batches(rows, batch_size):
                writer.write_batch(batch)
            counts = writer.finish()
        except (UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise StockFileError(
                f"Lecture de {path.name} interrompue vers la ligne {reader.line_num} ({exc}). "
                f"Les lots déjà validés sont importés ; le lot en cours a été annulé. "
                f"Relancez l'import avec un fichier corrigé : il met à jour sans dupliquer."
            ) from exc
        finally:
            writer.close()
    report.created, report.updated = counts.created, counts.updated
    report.seconds = time.monotonic() - started
    if progress is not None:
        progress(report)
    return report
