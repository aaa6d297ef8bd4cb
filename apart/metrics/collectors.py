"""Gauges read from the database when the metrics are scraped (never stored in the process).

Queue depths and heartbeats belong to the whole cluster, not to one worker: reading them at
scrape time gives the same answer from every node, whatever the process model.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from apart.core.models import WorkerHeartbeat
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail

# A worker is alive when its last heartbeat is younger than this (it beats every 10 s).
ALIVE_WITHIN = timedelta(seconds=60)
WORKERS = ("outbox",)


def _outbox(now_ts: float) -> Iterator[GaugeMetricFamily]:
    statuses = (
        OutboundEmail.Status.QUEUED,
        OutboundEmail.Status.SENDING,
        OutboundEmail.Status.FAILED,
    )
    counts = dict(
        OutboundEmail.objects.filter(status__in=statuses)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    emails = GaugeMetricFamily(
        "apart_outbox_emails",
        "Emails in the outbox per status (sent ones excluded).",
        labels=["status"],
    )
    for status in statuses:
        emails.add_metric([status], counts.get(status, 0))
    yield emails
    oldest = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    yield GaugeMetricFamily(
        "apart_outbox_oldest_queued_age_seconds",
        "Age of the oldest email still waiting to be sent (0 when none waits).",
        value=max(0.0, now_ts - oldest.timestamp()) if oldest else 0.0,
    )


def _habilitations() -> Iterator[GaugeMetricFamily]:
    yield GaugeMetricFamily(
        "apart_habilitation_queue",
        "Habilitation requests waiting for an agent's decision.",
        value=Habilitation.objects.filter(status=Habilitation.Status.PENDING).count(),
    )


def _workers(now_ts: float) -> Iterator[GaugeMetricFamily]:
    alive_since = timezone.now() - ALIVE_WITHIN
    rows = {
        row["worker"]: row
        for row in WorkerHeartbeat.objects.values("worker").annotate(
            alive=Count("pk", filter=Q(seen_at__gte=alive_since)), newest=Max("seen_at")
        )
    }
    alive = GaugeMetricFamily(
        "apart_workers_alive", "Worker processes seen in the last minute.", labels=["worker"]
    )
    age = GaugeMetricFamily(
        "apart_worker_heartbeat_age_seconds",
        "Seconds since the newest heartbeat of any process of this worker (-1: never seen).",
        labels=["worker"],
    )
    for worker in sorted({*WORKERS, *rows}):
        row = rows.get(worker)
        alive.add_metric([worker], row["alive"] if row else 0)
        age.add_metric([worker], now_ts - row["newest"].timestamp() if row else -1.0)
    yield alive
    yield age


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        now_ts = timezone.now().timestamp()
        try:
            families = [*_outbox(now_ts), *_habilitations(), *_workers(now_ts)]
        except DatabaseError:
            families = []
        yield from families
        yield GaugeMetricFamily(
            "apart_metrics_database_up",
            "1 when the database answered the scrape's queries, 0 otherwise.",
            value=1 if families else 0,
        )
