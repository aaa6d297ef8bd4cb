"""Behind nginx, per-address limits count the client's address, never the proxy's."""

from apart.core.proxy import forwarded_client

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
