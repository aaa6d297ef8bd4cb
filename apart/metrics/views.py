import os

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from apart.metrics.access import may_read_metrics
from apart.metrics.collectors import DatabaseCollector


def _process_metrics() -> bytes:
    """This process's counters, or every gunicorn worker's under the multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def _database_metrics() -> bytes:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector())
    return generate_latest(registry)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_read_metrics(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    body = _process_metrics() + _database_metrics()
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
