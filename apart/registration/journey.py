"""The state carried from step 1 to step 2 in the session: the SIRET validated at step 1.

It is signed with a timestamp (``django.core.signing``): step 2 refuses a missing, tampered or
stale step 1 (older than ``APART_REGISTRATION_STEP1_MAX_AGE`` seconds) and sends the person back.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

STEP1_KEY = "registration_step1"
_OUTCOME_KEY = "registration_outcome"
_SALT = "apart.registration.step1"


def remember_siret(request: HttpRequest, siret: str) -> None:
    request.session[STEP1_KEY] = signing.dumps({"siret": siret}, salt=_SALT)


def validated_siret(request: HttpRequest) -> str | None:
    """The SIRET validated at step 1, or None if step 1 is missing, tampered with or stale."""
    token = request.session.get(STEP1_KEY)
    if not isinstance(token, str):
        return None
    try:
        payload = signing.loads(
            token, salt=_SALT, max_age=settings.APART_REGISTRATION_STEP1_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    siret = payload.get("siret") if isinstance(payload, dict) else None
    return siret if isinstance(siret, str) else None


def forget_siret(request: HttpRequest) -> None:
    request.session.pop(STEP1_KEY, None)


def remember_outcome(request: HttpRequest, message: str) -> None:
    """The message of the outcome page (shown once, after the redirect that follows step 2)."""
    request.session[_OUTCOME_KEY] = message


def pop_outcome(request: HttpRequest) -> str | None:
    message = request.session.pop(_OUTCOME_KEY, None)
    return message if isinstance(message, str) else None
