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
