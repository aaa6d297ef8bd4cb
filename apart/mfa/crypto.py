"""Encryption of the TOTP seeds at rest (a copy of the database alone gives no working code).

The key is derived from SECRET_KEY (HKDF-SHA256, its own context string), so nothing new has to be
configured or backed up; SECRET_KEY_FALLBACKS keep decrypting seeds during a key rotation, as they
keep sessions and signed links valid. Rotating SECRET_KEY without keeping the old one in
SECRET_KEY_FALLBACKS makes every authenticator app unusable (docs/mfa.md).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_CONTEXT = b"apart.mfa.totp-seed.v1"


class UndecryptableSecretError(Exception):
    """The seed was encrypted with a key that is neither SECRET_KEY nor one of its fallbacks."""


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CONTEXT).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _keys().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableSecretError("TOTP seed encrypted with an unknown key") from exc
