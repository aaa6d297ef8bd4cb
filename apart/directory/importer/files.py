"""Opening an INSEE stock file (CSV or the ZIP as published) as a stream of bytes, its header,
and, for the Python path, CSV rows decoded line by line.

Nothing is read ahead: lines are pulled from the file (or from the ZIP member, decompressed on
the fly), so memory stays flat whatever the file size. Decoding is per line so that a line
which is not UTF-8 is reported with its number instead of stopping the import.
"""

import csv
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

from apart.core.errors import UserError

ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
HEADER_MAX_BYTES = 1 << 20
BAD_ENCODING = "encodage invalide (UTF-8 attendu)"


class CsvReader(Protocol):
    """What we use of csv.reader: iteration and the physical line number of the last record."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class StockFileError(UserError):
    """The file cannot be imported; ``message`` says why, in French, for the operator."""


def _is_zip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == ZIP_MAGIC or path.suffix.lower() == ".zip"


def _csv_member(archive: zipfile.ZipFile, path: Path) -> str:
    members = [name for name in archive.namelist() if name.lower().endswith(".csv")]
    if len(members) != 1:
        raise StockFileError(
            f"L'archive {path.name} doit contenir exactement un fichier CSV "
            f"({len(members)} trouvé(s))."
        )
    return members[0]


@contextmanager
def open_stock_file(path: str | Path) -> Iterator[IO[bytes]]:
    """Yield the file's bytes, from the CSV inside a ZIP if it is one."""
    path = Path(path)
    if not path.is_file():
        raise StockFileError(f"Fichier introuvable : {path}")
    if _is_zip(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise StockFileError(f"{path.name} n'est pas une archive ZIP valide ({exc}).") from exc
        with archive:
            try:
                member = archive.open(_csv_member(archive, path))
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
                raise StockFileError(
                    f"{path.name} n'est pas une archive ZIP valide ({exc})."
                ) from exc
            with member:
                yield member
        return
    with path.open("rb") as handle:
        yield handle


def read_header(
    handle: IO[bytes], *, path: Path, required: tuple[str, ...]
) -> tuple[dict[str, int], int]:
    """Read the first line; return (column name -> index, number of columns), names stripped
    (published headers may carry trailing spaces). Raise StockFileError before any write if
    the file is not the expected CSV."""
    line = handle.readline(HEADER_MAX_BYTES)
    if not line.strip():
        raise StockFileError(f"{path.name} est vide.")
    try:
        text = line.removeprefix(UTF8_BOM).decode("utf-8")
        if "\x00" in text or (not line.endswith(b"\n") and len(line) >= HEADER_MAX_BYTES):
            raise ValueError("binary")
        header = next(csv.reader([text], strict=True))
    except (UnicodeDecodeError, ValueError):
        raise StockFileError(
            f"{path.name} n'est pas un fichier CSV en UTF-8 (contenu binaire ?)."
        ) from None
    except csv.Error as exc:
        raise StockFileError(f"{path.name} n'est pas un fichier CSV lisible ({exc}).") from None
    columns = {name.strip(): index for index, name in enumerate(header)}
    missing = [name for name in required if name not in columns]
    if missing:
        raise StockFileError(
            f"{path.name} n'a pas le format attendu : colonnes obligatoires absentes : "
            + ", ".join(missing)
            + "."
        )
    return columns, len(header)


class DecodedLines:
    """Lines of text for csv.reader; remembers the numbers of the lines that were not UTF-8
    (decoded with replacement characters so the reader can go on) and drops NUL bytes."""

    def __init__(self, handle: IO[bytes], first_line: int) -> None:
        self.handle = handle
        self.line_number = first_line
        self.bad_lines: list[int] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.line_number += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad_lines.append(self.line_number)
                line = raw.decode("utf-8", errors="replace")
            yield line.replace("\x00", "") if "\x00" in line else line

    def record_is_bad(self, last_line: int) -> bool:
        """Whether the record ending on last_line contains a line that was not UTF-8."""
        found = False
        while self.bad_lines and self.bad_lines[0] <= last_line:
            self.bad_lines.pop(0)
            found = True
        return found


def csv_reader(lines: DecodedLines) -> CsvReader:
    return csv.reader(lines, delimiter=",", quotechar='"', strict=True)
