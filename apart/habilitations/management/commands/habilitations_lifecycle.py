from typing import Any

from django.core.management.base import BaseCommand

from apart.habilitations.lifecycle import run_lifecycle


class Command(BaseCommand):
    help = (
        "Expire les habilitations arrivées à leur date de fin et envoie les rappels de "
        "renouvellement (idempotent : peut tourner chaque minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_lifecycle()
        self.stdout.write(
            f"{report.expired} habilitation(s) expirée(s), {report.reminded} rappel(s) envoyé(s)."
        )
