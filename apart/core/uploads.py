"""Uploads are refused as soon as their body passes the limit, never read whole first.

Two checks, because a client may announce its size or not (chunked transfer) and may lie:
- ``UploadLimitMiddleware``: a request whose Content-Length is above the limit (the largest
  attachment, APART_UPLOAD_MAX_BYTES, plus APART_UPLOAD_FORM_OVERHEAD_BYTES for the form around
  it) gets a 413 page at once, before anything reads the body (CSRF included);
- ``LimitedUploadHandler``, the first upload handler: it counts the bytes of each file as they
  arrive (64 KiB chunks) and stops the upload past the limit without reading the rest
  (``StopUpload(connection_reset=True)``); the request is marked, and the view answers with the
  field's message « Le fichier dépasse la taille maximale autorisée (5 Mo). ».

nginx in front refuses earlier still (``client_max_body_size 6m``, docs/operations.md): the three
limits agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_TOO_LARGE = "_apart_upload_too_large"


def file_limit() -> int:
    return int(settings.APART_UPLOAD_MAX_BYTES)


def body_limit() -> int:
    return file_limit() + int(settings.APART_UPLOAD_FORM_OVERHEAD_BYTES)


def too_large(request: HttpRequest) -> bool:
    """Whether an upload of this request was stopped for its size."""
    return bool(getattr(request, _TOO_LARGE, False))


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}".replace(".", ",")


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > file_limit():
            if self.request is not None:
                setattr(self.request, _TOO_LARGE, True)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > body_limit():
            context = {"max_megabytes": megabytes(file_limit())}
            response = render(request, "413.html", context, status=413)
            response["Connection"] = "close"  # the rest of the body is not read
            return response
        return self.get_response(request)
