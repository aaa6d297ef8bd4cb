"""Optional error reporting to Sentry (``SENTRY_DSN``), with personal secrets scrubbed first.

Nothing is sent unless ``SENTRY_DSN`` is set. Before an event leaves the process, ``scrub_event``
replaces the values of every key that names a secret (passwords, tokens, secret answers, bank
details, NIR, cookies, CSRF) and masks IBAN-looking text and token-looking URL parts wherever they
appear (messages, breadcrumbs, frame locals, request data): the extranet handles State money and
the error tracker is a third party.
"""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

FILTERED = "[Filtered]"
# A key is secret when it contains one of these words...
SECRET_WORDS = (
    "password",
    "passwd",
    "mot_de_passe",
    "secret",
    "answer",
    "reponse",
    "token",
    "nonce",
    "iban",
    "csrf",
    "session",
    "cookie",
    "authorization",
    "recovery_code",
)
# ... or is exactly one of these (short words that are parts of harmless keys: status_code).
SECRET_KEYS = ("pwd", "code", "otp", "bic", "nir", "captcha_1", "state", "x-api-key")
# An IBAN (country, check digits, 11 to 30 alphanumerics, spaces allowed every 4), a long random
# token in a URL path or query (reset links, email-change and « Ce n'était pas moi ? » links).
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_TOKEN_IN_URL = re.compile(r"(?<=[/=])[A-Za-z0-9_%\-]{20,}")
# Where the code is, not what it handled: kept as they are so stack traces stay readable.
CODE_KEYS = frozenset(
    {"abs_path", "filename", "module", "function", "package", "context_line", "pre_context"}
    | {"post_context"}
)


def _is_secret_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return lowered in SECRET_KEYS or any(word in lowered for word in SECRET_WORDS)


def _mask_text(text: str) -> str:
    return _TOKEN_IN_URL.sub(FILTERED, _IBAN.sub(FILTERED, text))


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: FILTERED if _is_secret_key(key) else (item if key in CODE_KEYS else _scrub(item))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    if isinstance(value, str):
        return _mask_text(value)
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """``before_send``: the event with every secret replaced by ``[Filtered]``."""
    scrubbed: dict[str, Any] = _scrub(event)
    return scrubbed


def init_error_reporting(
    *, dsn: str, environment: str, traces_sample_rate: float = 0.0, transport: Any = None
) -> None:
    """Start the Sentry client (called from settings when ``SENTRY_DSN`` is set)."""
    options: dict[str, Any] = {}
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, *SECRET_WORDS, *SECRET_KEYS], recursive=True
        ),
        before_send=scrub_event,  # type: ignore[arg-type]
        before_send_transaction=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=lambda crumb, hint: _scrub(crumb),
        traces_sample_rate=traces_sample_rate,
        **options,
    )
