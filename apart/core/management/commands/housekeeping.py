"""Daily housekeeping of what expires but is only deleted on demand: rate-limit counters kept in
the database (without Redis) and captcha challenges that were shown but never answered."""

from typing import Any

from captcha.models import CaptchaStore
from django.core.management.base import BaseCommand
from django.utils import timezone

from apart.core import ratelimit


class Command(BaseCommand):
    help = "Delete expired rate-limit counters and captcha challenges (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counters = ratelimit.purge_expired()
        captchas, _ = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
        self.stdout.write(
            f"{counters} compteur(s) de limitation et {captchas} captcha(s) expirés supprimés."
        )
