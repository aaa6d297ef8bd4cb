"""Behind nginx, per-address limits count the client's address, never the proxy's."""

import pytest

from apart.core.proxy import forwarded_client
from tests.conftest import CsrfClient

NGINX = frozenset({"127.0.0.1"})


def test_a_request_from_the_trusted_proxy_is_counted_for_the_forwarded_client():
    assert forwarded_client("127.0.0.1", "203.0.113.7", NGINX) == "203.0.113.7"


def test_addresses_the_client_typed_before_the_proxy_hop_are_not_believed():
    assert forwarded_client("127.0.0.1", "10.9.9.9, 203.0.113.7", NGINX) == "203.0.113.7"


def test_a_request_that_did_not_come_through_the_proxy_keeps_its_own_address():
    assert forwarded_client("198.51.100.4", "203.0.113.7", NGINX) == "198.51.100.4"


def test_without_trusted_proxies_the_header_is_ignored():
    assert forwarded_client("127.0.0.1", "203.0.113.7", frozenset()) == "127.0.0.1"


def test_garbage_in_the_header_falls_back_to_the_proxy_address():
    assert forwarded_client("127.0.0.1", "not-an-address", NGINX) == "127.0.0.1"


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
def test_a_client_cannot_claim_https_with_x_forwarded_proto(https_only, settings):
    settings.APART_TRUSTED_PROXIES = ["10.0.0.5"]

    response = CsrfClient().get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_without_trusted_proxies_x_forwarded_proto_is_never_believed(https_only, settings):
    settings.APART_TRUSTED_PROXIES = []

    response = CsrfClient().get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301


@pytest.mark.django_db
def test_the_trusted_proxy_says_https(https_only, settings):
    settings.APART_TRUSTED_PROXIES = ["127.0.0.1"]

    response = CsrfClient().get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
