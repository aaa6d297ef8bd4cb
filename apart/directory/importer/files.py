"""Opening an INSEE stock file (CSV or the ZIP as published) as a stream of CSV rows.

Nothing is read ahead: the CSV reader pulls lines from a text stream decoded on the fly (from the
ZIP member when the file is an archive), so memory stays flat whatever the file size.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Protocol

ZIP_MAGIC = b"PK\x03\x04"


class CsvReader(Protocol):
    """What we use of csv.reader: iteration and the physical line number of the last record."""

    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class StockFileError(Exception):
    """The file cannot be imported; ``message`` says why, in French, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
def open_stock_file(path: str | Path) -> Iterator[IO[str]]:
    """Yield the file's text (UTF-8, BOM tolerated), from the CSV inside a ZIP if it is one."""
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
                yield io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as text:
        yield text


def _without_nul(lines: IO[str]) -> Iterator[str]:
    # A NUL byte can never be stored in PostgreSQL text; the INSEE files have none, a damaged
    # copy might, and dropping it keeps the rest of the line usable.
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


def csv_reader(text: IO[str]) -> CsvReader:
    return csv.reader(_without_nul(text), delimiter=",", quotechar='"', strict=True)


def read_header(
    reader: CsvReader, *, path: Path, required: tuple[str, ...]
) -> tuple[dict[str, int], int]:
    """Return (column name -> index, number of columns), names stripped (published headers
    may carry trailing spaces); raise StockFileError before any write if the file is not the
    expected CSV."""
    try:
        header = next(reader)
    except StopIteration:
        raise StockFileError(f"{path.name} est vide.") from None
    except UnicodeDecodeError:
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
