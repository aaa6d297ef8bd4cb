"""The metrics are never public: an allow-listed address or the bearer token, nobody else."""

import pytest

from tests.metrics.scrape import OUTSIDE

pytestmark = pytest.mark.django_db

TOKEN = "b7c1f0e2d9a84c56a1e3f7d2c0b9a8e7"


def test_a_client_outside_the_allowed_networks_is_refused_and_learns_nothing(client):
    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE)

    assert response.status_code == 403
    assert b"apart_" not in response.content


def test_loopback_reads_them_outside_production(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"apart_http_request_duration_seconds" in response.content


def test_with_no_network_allowed_even_loopback_is_refused(client, settings):
    settings.APART_METRICS_ALLOWED_NETWORKS = []

    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_the_bearer_token_opens_them_from_anywhere(client, settings):
    settings.APART_METRICS_TOKEN = TOKEN

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "header", [f"Bearer {TOKEN}x", f"Basic {TOKEN}", "Bearer ", TOKEN, f"Bearer  {TOKEN}"]
)
def test_a_wrong_token_is_refused(client, settings, header):
    settings.APART_METRICS_TOKEN = TOKEN

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION=header)

    assert response.status_code == 403


def test_no_token_configured_means_no_token_accepted(client, settings):
    settings.APART_METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


def test_the_endpoint_only_reads(client):
    assert client.post("/metrics", REMOTE_ADDR="127.0.0.1").status_code in (403, 405)
