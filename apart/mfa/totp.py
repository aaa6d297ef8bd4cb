"""TOTP (RFC 6238) as authenticator apps compute it: 6 digits, 30-second steps, SHA-1.

A code is accepted for the current step and one step either side (±30 s of clock drift between
the phone and the server, ASVS 6.5.5); which step matched is returned, so that the caller refuses
any code of that step or an older one afterwards (single use, ASVS 6.5.1).
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp
import segno
from django.conf import settings
from django.utils import timezone

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
_CODE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """160 random bits (RFC 4226's recommended length), base32, from the OS CSPRNG."""
    return pyotp.random_base32(length=32)


def looks_like_code(text: str) -> bool:
    return bool(_CODE.match(normalize(text)))


def normalize(text: str) -> str:
    # Apps show « 123 456 »; people copy it with its space.
    return "".join(text.split())


def matching_step(secret: str, code: str, *, at: datetime | None = None) -> int | None:
    """The time step whose code is ``code`` (current step ± DRIFT_STEPS), or None."""
    code = normalize(code)
    if not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    moment = at or timezone.now()
    current = totp.timecode(moment)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Every candidate is compared (constant time), whichever matches.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def code_at(secret: str, moment: datetime) -> str:
    """The code an app shows at ``moment`` (tests and the enrolment check use it)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(moment)


def provisioning_uri(secret: str, *, login: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=login, issuer_name=settings.APART_MFA_ISSUER
    )


def qr_svg(uri: str, *, title: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no image request, nothing sent elsewhere)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, title=title, omitsize=False)
    return str(svg).replace("<svg ", '<svg role="img" ', 1)


def grouped(secret: str) -> str:
    """The seed in groups of four, for people who type it into their app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
