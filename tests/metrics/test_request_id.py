"""Every response and every log line of a request carry the same request id; JSON logs."""

import json
import logging
import logging.config
import re

import pytest
from django.conf import settings as django_settings

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


def test_log_lines_are_json_objects_carrying_the_request_id(client, capsys):
    config = {
        **django_settings.LOGGING,
        "handlers": {
            "console": {
                **django_settings.LOGGING["handlers"]["console"],
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {"django.request": {"level": "WARNING"}},
    }
    logging.config.dictConfig(config)
    try:
        response = client.get("/nulle-part/")  # django.request logs the 404 as a warning
        lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    finally:
        logging.config.dictConfig(django_settings.LOGGING)

    records = [json.loads(line) for line in lines]
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found, lines
    assert not_found[-1]["request_id"] == response["X-Request-ID"]
    assert not_found[-1]["level"] == "WARNING"
    assert "Not Found" in not_found[-1]["message"]
    assert {"time", "level", "logger", "message", "request_id"} <= set(not_found[-1])


def test_outside_a_request_the_id_is_a_dash():
    from apart.core.requestid import RequestIdFilter

    record = logging.LogRecord("apart", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)

    assert record.request_id == "-"
