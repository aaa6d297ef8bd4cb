"""Settings of apart without the request-metrics middleware: what bench/peer_login.py compares
with the production settings to measure the metrics' cost. Nothing else differs."""

from config.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if m != "apart.metrics.middleware.RequestMetricsMiddleware"]  # noqa: F405
