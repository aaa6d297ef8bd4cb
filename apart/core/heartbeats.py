"""Background workers say they are alive (``WorkerHeartbeat``), read by the metrics scrape."""

import os
import socket
import time
from datetime import datetime, timedelta

from django.utils import timezone

from apart.core.models import WorkerHeartbeat

# A worker polling every 2 s writes at most one row update every HEARTBEAT_EVERY seconds.
HEARTBEAT_EVERY = 10.0
_STARTED_AT = timezone.now()
_last_beat: dict[str, float] = {}


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def record_heartbeat(*, worker: str, force: bool = False) -> None:
    """Upsert this process's heartbeat row, at most once every ``HEARTBEAT_EVERY`` seconds."""
    now = time.monotonic()
    if not force and now - _last_beat.get(worker, -HEARTBEAT_EVERY) < HEARTBEAT_EVERY:
        return
    WorkerHeartbeat.objects.update_or_create(
        worker=worker,
        instance=instance_name(),
        defaults={"seen_at": timezone.now()},
        create_defaults={"seen_at": timezone.now(), "started_at": _STARTED_AT},
    )
    _last_beat[worker] = now


def forget_stale_heartbeats(*, now: datetime | None = None, older_than: timedelta) -> int:
    """Delete the rows of processes not seen for ``older_than`` (housekeeping)."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
