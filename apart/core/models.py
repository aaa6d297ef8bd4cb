"""Technical tables with no business rule."""

from django.db import models


class RateLimitCounter(models.Model):
    """One fixed-window counter per key, updated by a single atomic upsert (apart.core.ratelimit).

    Times are epoch seconds (floats) so that the raw SQL upsert behaves the same on PostgreSQL and
    SQLite without datetime adapters.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.FloatField()
    expires_at = models.FloatField(db_index=True)

    class Meta:
        verbose_name = "compteur de limitation"

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background worker process (outbox worker...).

    One row per worker kind and process (``host:pid``); the metrics scrape turns them into the
    number of live workers and the age of the newest heartbeat (docs/operations.md), and the
    ``housekeeping`` command deletes the rows of processes gone for a day.
    """

    worker = models.CharField(max_length=50)
    instance = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "signe de vie d'un processus"
        constraints = [
            models.UniqueConstraint(fields=["worker", "instance"], name="heartbeat_one_per_process")
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.instance} {self.seen_at:%Y-%m-%d %H:%M:%S}"
