"""Cutting the stock file for COPY: blocks of whole records, and, for a block COPY refused,
its records one by one narrowed to the columns the directory needs (apart.directory.importer
.postgres). Bytes in, bytes out: no database here."""

import csv
import io
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter
from typing import IO

from apart.directory.importer.files import BAD_ENCODING
from apart.directory.importer.schema import StockSchema

RECORD_MAX_BYTES = 1 << 20  # a record over several lines, at most


def blocks(handle: IO[bytes], first_line: int, size: int) -> Iterator[tuple[int, bytes, int]]:
    """Cut the file after the header into blocks of about ``size`` lines that end on a record
    boundary (an even number of quotes since the block's start); yield (number of the block's
    first line, its bytes ending with a newline, its number of lines). Lines are read in C:
    no Python code runs per line."""
    line_number = first_line
    while True:
        lines = list(islice(handle, size))
        if not lines:
            return
        block = b"".join(lines)
        del lines
        if block.count(b'"') % 2:  # the last record goes on (a quoted line break)
            rest: list[bytes] = []
            quotes, size_of_rest = 1, 0
            for line in handle:
                rest.append(line)
                quotes += line.count(b'"')
                size_of_rest += len(line)
                # A quote never closed would otherwise pull the rest of the file into memory:
                # past RECORD_MAX_BYTES the block ends anyway, and the record is reported as
                # malformed (the csv module's limit on a field is smaller still).
                if quotes % 2 == 0 or size_of_rest > RECORD_MAX_BYTES:
                    break
            block += b"".join(rest)
        if not block.endswith(b"\n"):
            block += b"\n"
        count = block.count(b"\n")
        yield line_number + 1, block, count
        del block  # before the next block is read
        line_number += count


def records(handle: IO[bytes], first_line: int) -> Iterator[tuple[int, bytes]]:
    """Yield (line number, record bytes ending with a newline); skip blank lines."""
    line_number = first_line
    pending: list[bytes] = []
    start = line_number
    quotes = 0
    for line in handle:
        line_number += 1
        if not pending:
            start = line_number
            if line in (b"\n", b"\r\n"):
                continue
        pending.append(line)
        quotes += line.count(b'"')
        if quotes % 2 == 0:
            record = b"".join(pending) if len(pending) > 1 else line
            yield start, record if record.endswith(b"\n") else record + b"\n"
            pending, quotes = [], 0
    if pending:
        record = b"".join(pending)
        yield start, record if record.endswith(b"\n") else record + b"\n"


class Narrower:
    """For a block COPY refused: turn its records into staging lines holding only the
    columns the directory needs, prefixed with their line numbers.

    A record without any quote (nearly all of them) is split on commas in C; one with quotes
    goes through the csv module. A record with another number of columns than the header is
    rejected here, with its line number.
    """

    def __init__(self, schema: StockSchema, columns: dict[str, int], width: int) -> None:
        self.width = width
        self.pick = itemgetter(*(columns[name] for name in schema.required))

    def _quoted(self, line_number: int, record: bytes) -> bytes | str:
        try:
            text = record.decode("utf-8").replace("\x00", "")
        except UnicodeDecodeError:
            return BAD_ENCODING
        try:
            rows = list(csv.reader(io.StringIO(text), strict=True))
        except csv.Error as exc:
            return f"CSV mal formé ({exc})"
        count = len(rows[0]) if len(rows) == 1 else 0
        if count != self.width:
            return f"{count} colonnes au lieu de {self.width}"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([line_number, *self.pick(rows[0])])
        return out.getvalue().encode("utf-8")

    def narrow(
        self, chunk: list[tuple[int, bytes]], *, careful: bool = False
    ) -> tuple[list[bytes], list[tuple[int, str]]]:
        """Staging lines and rejected records; ``careful`` also checks each line's UTF-8 and
        NULs (after COPY refused the chunk)."""
        out: list[bytes] = []
        bad: list[tuple[int, str]] = []
        pick, width = self.pick, self.width
        for line_number, record in chunk:
            if careful or b'"' in record:
                result = self._quoted(line_number, record)
                if isinstance(result, str):
                    bad.append((line_number, result))
                else:
                    out.append(result)
                continue
            fields = record.rstrip(b"\r\n").split(b",")
            if len(fields) != width:
                bad.append((line_number, f"{len(fields)} colonnes au lieu de {width}"))
                continue
            out.append(b"%d," % line_number + b",".join(pick(fields)) + b"\n")
        return out, bad
