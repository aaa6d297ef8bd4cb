"""python manage.py load_demo_data: import the shipped demo SIRENE extract (idempotent)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from apart.directory.demo import samples
from apart.directory.demo.generate import ESTABLISHMENTS_FILE, LEGAL_UNITS_FILE


class Command(BaseCommand):
    help = "Charge l'extrait SIRENE de démonstration (établissements fictifs). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "import_sirene",
            etablissements=str(ESTABLISHMENTS_FILE),
            unites_legales=str(LEGAL_UNITS_FILE),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        self.stdout.write("Numéros de Siret de démonstration :")
        for label, siret in (
            ("établissement ouvert et diffusible", samples.DEMO_OPEN_SIRET),
            ("entrepreneur individuel", samples.DEMO_INDIVIDUAL_SIRET),
            ("établissement en outre-mer", samples.DEMO_OVERSEAS_SIRET),
            ("établissement non diffusible", samples.DEMO_NON_DIFFUSIBLE_SIRET),
            ("établissement fermé", samples.DEMO_CLOSED_SIRET),
            ("siège de La Poste", samples.LA_POSTE_HEAD_OFFICE_SIRET),
            ("Siret valide absent du répertoire", samples.DEMO_UNKNOWN_SIRET),
        ):
            self.stdout.write(f"  {siret}  {label}")
