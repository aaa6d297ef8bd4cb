"""The health checks the load balancer and the monitoring call (docs/operations.md)."""

import pytest


def test_liveness_answers_without_touching_the_database(client):
    response = client.get("/sante/vivant/")  # no django_db mark: a query would fail the test

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readiness_checks_the_database(client):
    response = client.get("/sante/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]
