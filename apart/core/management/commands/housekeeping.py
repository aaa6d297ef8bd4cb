"""Daily housekeeping of what expires but is only deleted on demand: rate-limit counters kept in
the database (without Redis), captcha challenges that were shown but never answered, and the
heartbeats of worker processes gone for a day."""

from datetime import timedelta
from typing import Any

from captcha.models import CaptchaStore
from django.core.management.base import BaseCommand
from django.utils import timezone

from apart.core import ratelimit
from apart.core.heartbeats import forget_stale_heartbeats


class Command(BaseCommand):
    help = (
        "Delete expired rate-limit counters and captcha challenges, and the heartbeats of "
        "workers gone for a day (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counters = ratelimit.purge_expired()
        captchas, _ = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
        heartbeats = forget_stale_heartbeats(older_than=timedelta(days=1))
        self.stdout.write(
            f"{counters} compteur(s) de limitation et {captchas} captcha(s) expirés supprimés."
        )
        self.stdout.write(f"{heartbeats} signe(s) de vie de processus arrêtés supprimé(s).")
