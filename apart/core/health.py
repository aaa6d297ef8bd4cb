"""Health checks for the load balancer and the monitoring (docs/operations.md).

- ``/sante/vivant/``: the process answers (no database, no Redis, no session): liveness. It is
  also the "minimal Django view" the surge benchmark compares page throughput with.
- ``/sante/``: the node can serve: one ``SELECT 1`` on PostgreSQL and a ``PING`` to Redis when
  it is configured; 503 with the failing part named otherwise.
"""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from apart.core.ratelimit import _redis


@never_cache
@require_safe
def alive(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    failures = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        failures.append("database")
    if settings.REDIS_URL:
        try:
            _redis().ping()
        except Exception:
            failures.append("redis")
    if failures:
        body = "unavailable: " + ", ".join(failures) + "\n"
        return HttpResponse(body, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
