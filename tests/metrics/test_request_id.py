"""Every response and every log line of a request carry the same request id; JSON logs."""

import io
import json
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.utils.module_loading import import_string

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"


def test_each_response_has_a_fresh_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_client_cannot_choose_its_request_id(client):
    response = client.get("/", HTTP_X_REQUEST_ID="injected\nfake-log-line-1234")

    assert "injected" not in response["X-Request-ID"]


def test_the_trusted_proxy_passes_its_own_id(client, settings):
    settings.APART_TRUSTED_PROXIES = [PROXY]

    response = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_REQUEST_ID="nginx-4f2a9c1be7d0")

    assert response["X-Request-ID"] == "nginx-4f2a9c1be7d0"


def _configured_json_handler(stream: io.StringIO) -> logging.Handler:
    """A handler built from the project's LOGGING (its JSON formatter and request-id filter),
    writing to ``stream``; the global logging configuration is left alone."""
    config = django_settings.LOGGING
    formatter_config = dict(config["formatters"]["json"])
    formatter = import_string(formatter_config.pop("()"))(**formatter_config)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(import_string(config["filters"]["request_id"]["()"])())
    return handler


def test_log_lines_are_json_objects_carrying_the_request_id(client):
    stream = io.StringIO()
    handler = _configured_json_handler(stream)
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        response = client.get("/nulle-part/")  # django.request logs the 404 as a warning
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)

    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert records, "no log line"
    assert records[-1]["request_id"] == response["X-Request-ID"]
    assert records[-1]["level"] == "WARNING"
    assert records[-1]["logger"] == "django.request"
    assert "Not Found" in records[-1]["message"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(records[-1])


def test_outside_a_request_the_id_is_a_dash():
    from apart.core.requestid import RequestIdFilter

    record = logging.LogRecord("apart", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)

    assert record.request_id == "-"
