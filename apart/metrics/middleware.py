"""Latency and status of every request, labelled by route (the URL name), never by raw path:
paths carry tokens and SIRETs, and one label per path would grow without bound."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import Counter, Histogram

from apart.core.metrics import REQUEST_LATENCY, RESPONSES


def route_of(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is not None:
        return match.view_name or "<unnamed>"
    if request.path.startswith(settings.STATIC_URL):
        return "<static>"
    return "<unmatched>"


class RequestMetricsMiddleware:
    """Each labelled series is looked up once per process and kept: ``.labels()`` builds and
    checks its label tuple under a lock on every call, a third of this middleware's time. The
    keys are bounded (URL names, eight methods, status codes), so are the two dictionaries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._latency: dict[tuple[str, str], Histogram] = {}
        self._responses: dict[tuple[str, str, int], Counter] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        method = request.method if request.method in _METHODS else "OTHER"
        self._latency_of(route, method).observe(elapsed)
        self._responses_of(route, method, response.status_code).inc()
        return response

    def _latency_of(self, route: str, method: str) -> Histogram:
        series = self._latency.get((route, method))
        if series is None:
            series = REQUEST_LATENCY.labels(route=route, method=method)
            self._latency[(route, method)] = series
        return series

    def _responses_of(self, route: str, method: str, status: int) -> Counter:
        series = self._responses.get((route, method, status))
        if series is None:
            series = RESPONSES.labels(route=route, method=method, status=str(status))
            self._responses[(route, method, status)] = series
        return series


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
