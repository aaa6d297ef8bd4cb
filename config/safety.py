"""Refusals of the production profile: each unsafe setting stops the start with one line naming it.

Pure functions of the values read from the environment (config/settings.py raises the first
refusal as ImproperlyConfigured), so that each refusal is tested alone.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from urllib.parse import urlsplit

# A key from `secrets.token_urlsafe(50)` has ~67 characters and ~400 bits; 50 hex characters have
# 200 bits. Below that, or when the key compresses (repeated or sequential patterns), it is not
# random enough to sign sessions, reset links and CSRF tokens.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_BITS = 190
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def estimated_bits(text: str) -> float:
    """Shannon entropy of the characters of ``text`` times its length (an upper bound for any
    structured string, close to the truth for a random one)."""
    if not text:
        return 0.0
    counts = Counter(text)
    per_char = -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())
    return per_char * len(text)


def _compresses(text: str) -> bool:
    raw = text.encode("utf-8", "surrogatepass")
    return len(zlib.compress(raw, 9)) < 0.75 * len(raw)


def secret_key_refusal(secret_key: str, *, dev_key: str) -> str | None:
    if not secret_key or secret_key == dev_key:
        return f"SECRET_KEY is missing: set 50+ random characters ({GENERATE})"
    if len(secret_key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY is too short (< {SECRET_KEY_MIN_LENGTH} characters): {GENERATE}"
    if estimated_bits(secret_key) < SECRET_KEY_MIN_BITS or _compresses(secret_key):
        return f"SECRET_KEY is not random enough (repeated or predictable): {GENERATE}"
    return None


def allowed_hosts_refusal(hosts: list[str], *, given: bool) -> str | None:
    if not given or not hosts:
        return "ALLOWED_HOSTS is empty: list the site's host names, comma-separated"
    if any("*" in host for host in hosts):
        return "ALLOWED_HOSTS must not contain '*': list the site's host names"
    return None


def public_url_refusal(public_url: str, *, given: bool) -> str | None:
    if not given or not public_url:
        return "APART_PUBLIC_URL is missing: the https address of the site (links in emails)"
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.hostname:
        return f"APART_PUBLIC_URL must be an https:// address, got {public_url!r}"
    if parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        return f"APART_PUBLIC_URL must be the public address, not {parts.hostname}"
    return None


def trusted_proxies_refusal(proxies: list[str]) -> str | None:
    import ipaddress

    for proxy in proxies:
        try:
            ipaddress.ip_address(proxy)
        except ValueError:
            return f"APART_TRUSTED_PROXIES must list IP addresses, got {proxy!r}"
    return None
