"""Record the implicit acceptances (R5122-4): schedule it daily (cron, systemd timer).

Idempotent: a DAP is decided once, so running it twice records nothing more.
"""

from typing import Any

from django.core.management.base import BaseCommand

from apart.dap.services import record_implicit_decisions


class Command(BaseCommand):
    help = "Accept the DAP left without a decision after APART_DAP_SILENCE_DAYS days."

    def handle(self, *args: Any, **options: Any) -> None:
        count = record_implicit_decisions()
        self.stdout.write(f"{count} acceptation(s) implicite(s) enregistrée(s).")
