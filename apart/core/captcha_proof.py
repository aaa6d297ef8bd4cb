"""Proof that the captcha of a form was solved, for the next submission of that form only.

A form that comes back for a non-blocking reason alone (the guide's "contrôles non bloquants":
a name like a title, accents removed from an email) must not ask for the captcha again: the
person only has to read the warning and press the button again. The proof is a random nonce
kept in the session (so it is bound to it), handed to the page signed with a timestamp (so it
is short-lived: ``APART_CAPTCHA_PROOF_SECONDS``) and spent by its first use, right or wrong.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

PROOF_FIELD = "captcha_proof"
_SALT = "apart.core.captcha_proof"
_SESSION_PREFIX = "captcha_proof:"


def issue_captcha_proof(request: HttpRequest, *, purpose: str) -> str:
    """A proof for ``purpose`` (e.g. "registration"), replacing any earlier one."""
    nonce = secrets.token_urlsafe(24)
    request.session[_SESSION_PREFIX + purpose] = nonce
    return signing.dumps({"n": nonce, "p": purpose}, salt=_SALT, compress=False)


def redeem_captcha_proof(request: HttpRequest, token: object, *, purpose: str) -> bool:
    """True when ``token`` is the proof issued in this session for ``purpose``, not expired.

    The session's proof is spent whatever the answer (single use)."""
    expected = request.session.pop(_SESSION_PREFIX + purpose, None)
    if not isinstance(token, str) or not token or not isinstance(expected, str):
        return False
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.APART_CAPTCHA_PROOF_SECONDS)
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or data.get("p") != purpose:
        return False
    return secrets.compare_digest(str(data.get("n", "")), expected)
