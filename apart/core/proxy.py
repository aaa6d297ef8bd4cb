"""The client's address behind the reverse proxy (nginx in front of the gunicorn nodes).

Behind nginx, REMOTE_ADDR is nginx's own address: every per-address limit (logins, registration,
recovery) would then count the whole country as one client. When the request comes from one of
``settings.APART_TRUSTED_PROXIES``, REMOTE_ADDR is replaced by the right-most address of
X-Forwarded-For that is not itself a trusted proxy (the left-most entries are whatever the client
chose to send, so they are never believed). X-Forwarded-Proto (HTTPS behind nginx, Django's
SECURE_PROXY_SSL_HEADER) and the other forwarded headers are believed only from a trusted proxy:
from anyone else they are dropped, so a client cannot pass plain HTTP off as HTTPS.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def forwarded_client(remote_addr: str, forwarded_for: str, trusted: frozenset[str]) -> str:
    """The address to believe for a request from ``remote_addr`` carrying ``forwarded_for``."""
    if remote_addr not in trusted or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        if not _valid(hop):
            break  # garbage: stop at the last address a trusted proxy vouched for
        if hop not in trusted:
            return hop
        remote_addr = hop
    return remote_addr


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(getattr(settings, "APART_TRUSTED_PROXIES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote_addr = request.META.get("REMOTE_ADDR", "")
        if remote_addr in self.trusted:
            request.META["REMOTE_ADDR"] = forwarded_client(
                remote_addr, request.META.get("HTTP_X_FORWARDED_FOR", ""), self.trusted
            )
        else:
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
