"""`python manage.py purge_personal_data`: run daily (cron, systemd timer). Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from apart.privacy.services import purge_personal_data


class Command(BaseCommand):
    help = "Anonymise or delete personal data past its retention period (docs/rgpd.md)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = purge_personal_data(now=timezone.now())
        for name, count in vars(report).items():
            self.stdout.write(f"{name}: {count}")
