import time
from datetime import timedelta
from io import StringIO

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.utils import timezone

from apart.core.models import RateLimitCounter

pytestmark = pytest.mark.django_db


def test_expired_counters_and_captchas_go_the_live_ones_stay(settings):
    settings.REDIS_URL = ""
    RateLimitCounter.objects.create(
        key="old", count=3, window_started_at=time.time() - 901, expires_at=time.time() - 1
    )
    RateLimitCounter.objects.create(
        key="live", count=1, window_started_at=time.time(), expires_at=time.time() + 600
    )
    old = CaptchaStore.objects.create(challenge="abc", response="abc")
    CaptchaStore.objects.filter(pk=old.pk).update(expiration=timezone.now() - timedelta(minutes=1))
    live = CaptchaStore.objects.create(challenge="def", response="def")
    out = StringIO()

    call_command("housekeeping", stdout=out)
    call_command("housekeeping", stdout=StringIO())  # idempotent

    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["live"]
    assert list(CaptchaStore.objects.values_list("pk", flat=True)) == [live.pk]
    assert "1 compteur(s) de limitation et 1 captcha(s) expirés supprimés." in out.getvalue()


def test_heartbeats_of_processes_gone_for_a_day_go_the_recent_ones_stay():
    from apart.core.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker="outbox", instance="old:1", started_at=now, seen_at=now - timedelta(days=2)
    )
    WorkerHeartbeat.objects.create(worker="outbox", instance="new:2", started_at=now, seen_at=now)
    out = StringIO()

    call_command("housekeeping", stdout=out)

    assert list(WorkerHeartbeat.objects.values_list("instance", flat=True)) == ["new:2"]
    assert "1 signe(s) de vie de processus arrêtés supprimé(s)." in out.getvalue()
