"""One id per request, in every log line of that request and in the ``X-Request-ID`` header.

nginx (or any proxy listed in ``APART_TRUSTED_PROXIES``) may pass its own id so that its access
log and ours share it; from anyone else the header is ignored and a new id is drawn, so a client
cannot write what it likes into our logs.
"""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _current.get()


def _request_id(request: HttpRequest) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    from_proxy = request.META.get("REMOTE_ADDR", "") in settings.APART_TRUSTED_PROXIES
    if from_proxy and _WELL_FORMED.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain (before the proxy middleware rewrites REMOTE_ADDR)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        # Not reset on the way out: Django logs the response (django.request) after the
        # middleware chain; request_finished puts "-" back once the response is closed.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget_request_id(**kwargs: object) -> None:
    _current.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="apart.core.requestid")


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` ("-" outside a request: commands, workers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
