"""Latency and status of every request, labelled by route (the URL name), never by raw path:
paths carry tokens and SIRETs, and one label per path would grow without bound."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from apart.core.metrics import REQUEST_LATENCY, RESPONSES


def route_of(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is not None:
        return match.view_name or "<unnamed>"
    if request.path.startswith(settings.STATIC_URL):
        return "<static>"
    return "<unmatched>"


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in _METHODS else "OTHER"
        REQUEST_LATENCY.labels(route=route, method=method).observe(time.perf_counter() - started)
        RESPONSES.labels(route=route, method=method, status=str(response.status_code)).inc()
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
