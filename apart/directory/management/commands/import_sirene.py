"""python manage.py import_sirene --etablissements FILE [--unites-legales FILE]"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import DatabaseError

from apart.directory.importer import (
    ESTABLISHMENTS,
    LEGAL_UNITS,
    ImportReport,
    StockFileError,
    import_stock_file,
)


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


class ProgressLine:
    """One carriage-return line on stderr, refreshed at most twice a second."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, report: ImportReport) -> None:
        now = time.monotonic()
        if now - self.shown < 0.5 and not report.seconds:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{report.label} : {_n(report.rows_read)} lignes lues, "
            f"{_n(report.rows_read / elapsed)} lignes/s",
            ending="",
            style_func=str,
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("", style_func=str, ending="\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Importe les fichiers stock SIRENE de l'INSEE (format 3.11, CSV ou ZIP) dans le "
        "répertoire local. Relancer l'import met à jour sans dupliquer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--etablissements", required=True, help="StockEtablissement_utf8.csv ou .zip"
        )
        parser.add_argument("--unites-legales", help="StockUniteLegale_utf8.csv ou .zip")
        parser.add_argument(
            "--batch-size", type=int, default=100_000, help="lignes par transaction"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = []
        if options["unites_legales"]:
            jobs.append((options["unites_legales"], LEGAL_UNITS))
        jobs.append((options["etablissements"], ESTABLISHMENTS))
        if options["batch_size"] < 1:
            raise CommandError("--batch-size doit être un entier positif.")
        for path, schema in jobs:
            progress = ProgressLine(self.stderr)
            try:
                report = import_stock_file(
                    path, schema, batch_size=options["batch_size"], progress=progress
                )
            except StockFileError as exc:
                raise CommandError(exc.message) from None
            except DatabaseError as exc:
                raise CommandError(
                    f"La base de données a refusé l'import ({exc}). Les lots déjà validés sont "
                    f"importés ; relancez l'import : il met à jour sans dupliquer."
                ) from None
            finally:
                progress.close()
            self._summarise(report)

    def _summarise(self, report: ImportReport) -> None:
        self.stdout.write(
            f"Import des {report.label} terminé en {report.seconds:.2f} s "
            f"({_n(report.rows_per_second)} lignes/s) : {_n(report.rows_read)} lignes lues, "
            f"{_n(report.created)} créées, {_n(report.updated)} mises à jour, "
            f"{_n(report.unchanged)} inchangées, {_n(report.bad_rows)} rejetées."
        )
        if report.bad_rows:
            shown = len(report.bad_samples)
            self.stdout.write(
                f"Lignes rejetées ({shown} premières sur {_n(report.bad_rows)}) :"
                if report.bad_rows > shown
                else "Lignes rejetées :"
            )
            for line, reason in report.bad_samples:
                self.stdout.write(f"  ligne {line} : {reason}")
