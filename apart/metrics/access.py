"""Who may read the metrics: an allow-listed address or the bearer token, nobody else.

The figures say how many people log in, fail and get locked out: useful to an attacker timing a
campaign, so the endpoint is never public. ``APART_METRICS_ALLOWED_NETWORKS`` (CIDR list; loopback
outside production, empty in production) and ``APART_METRICS_TOKEN`` (``Authorization: Bearer``)
are read from the environment; with neither, nobody gets in.
"""

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _from_allowed_network(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        client in ipaddress.ip_network(network, strict=False)
        for network in settings.APART_METRICS_ALLOWED_NETWORKS
    )


def _has_token(request: HttpRequest) -> bool:
    expected = settings.APART_METRICS_TOKEN
    scheme, _, offered = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(offered, expected)


def may_read_metrics(request: HttpRequest) -> bool:
    return _has_token(request) or _from_allowed_network(request.META.get("REMOTE_ADDR", ""))
