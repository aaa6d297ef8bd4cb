from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apart.habilitations.imports import COLUMNS, import_asp_accounts, read_csv


class Command(BaseCommand):
    help = (
        "Importe les comptes et habilitations des extranets de l'ASP (Sylaé, Elisa, Défi, "
        "Service Civique, Entreprises Adaptées) depuis un fichier CSV. Colonnes : "
        + ", ".join(COLUMNS)
        + ". Idempotent : une nouvelle exécution met à jour, sans doublon."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        header, rows = read_csv(text)
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise CommandError("Colonnes manquantes : " + ", ".join(missing))
        report = import_asp_accounts(rows=rows)
        for number, reason in report.rejected:
            self.stderr.write(f"Ligne {number} rejetée : {reason}")
        self.stdout.write(
            f"Comptes créés : {report.accounts_created}, mis à jour : {report.accounts_updated}. "
            f"Habilitations créées : {report.habilitations_created}, "
            f"mises à jour : {report.habilitations_updated}. "
            f"Lignes inchangées : {report.unchanged}. Lignes rejetées : {len(report.rejected)}."
        )
