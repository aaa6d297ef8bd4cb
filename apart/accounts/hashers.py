"""The password hasher: Argon2id at OWASP's minimum, computed by libsodium.

The parameters are what makes a hash expensive to attack; the implementation only decides what
it costs us. libsodium (through PyNaCl) picks an AVX2 / AVX-512 kernel at run time where the
processor has one, and verifies our parameters in about half the time of the reference kernel
that argon2-cffi ships: every login, secret answer and registration pays half, an attacker pays
the same. The hashes are the standard PHC strings either library reads, so stored hashes, the
Django fallback hasher and a later change of library keep working.
"""

import base64
import hashlib
import hmac

import argon2
from django.contrib.auth.hashers import Argon2PasswordHasher
from nacl import bindings as sodium
from nacl.exceptions import InvalidkeyError

# libsodium's Argon2id, RFC 9106 version 0x13; its one lane is our parallelism.
_SODIUM_PREFIX = "$argon2id$v=19$"
_SALT_BYTES = sodium.crypto_pwhash_SALTBYTES  # 16
_HASH_BYTES = 32  # argon2-cffi's default, as in Django's hasher


def _b64(raw: bytes) -> str:
    """PHC strings use unpadded standard base64."""
    return base64.b64encode(raw).decode("ascii").rstrip("=")


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (m=19 MiB, t=2, p=1).

    Django's defaults (100 MiB, p=8) cost ~190 ms a hash on this hardware; OWASP's minimum keeps
    the same resistance class at ~10 ms with libsodium (~18 ms with argon2-cffi), which is what
    lets one node absorb a surge of logins.
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        if not salt or "$" in salt:  # Django's own rule: the salt is one field of the string
            raise ValueError("A salt without '$' is required.")
        if self.parallelism != 1:  # libsodium computes one lane only
            return super().encode(password, salt)
        # Django's salt is 22 characters (131 bits); libsodium takes exactly 16 bytes. Deriving
        # them keeps the salt's entropy and keeps encode() a function of (password, salt).
        salt_bytes = hashlib.blake2b(salt.encode(), digest_size=_SALT_BYTES).digest()
        digest = sodium.crypto_pwhash_alg(
            _HASH_BYTES,
            password.encode(),
            salt_bytes,
            self.time_cost,
            self.memory_cost * 1024,
            sodium.crypto_pwhash_ALG_ARGON2ID13,
        )
        return (
            f"{self.algorithm}{_SODIUM_PREFIX}m={self.memory_cost},t={self.time_cost},"
            f"p={self.parallelism}${_b64(salt_bytes)}${_b64(digest)}"
        )

    def must_update(self, encoded: str) -> bool:
        # Django's own check counts the salt's characters as if drawn from 62 letters and digits;
        # ours are 16 raw bytes (128 bits), which it would call too short and rehash at every
        # login. Same parameters and a salt of at least 16 bytes: nothing to update.
        _algorithm, rest = encoded.split("$", 1)
        current = argon2.extract_parameters("$" + rest)
        wanted = self.params()
        wanted.salt_len = current.salt_len
        return current != wanted or current.salt_len < _SALT_BYTES

    def verify(self, password: str, encoded: str) -> bool:
        algorithm, rest = encoded.split("$", 1)
        if not hmac.compare_digest(algorithm, self.algorithm):
            return False
        phc = "$" + rest
        if not phc.startswith(_SODIUM_PREFIX):  # argon2i, argon2d, version 0x10: Django's path
            return super().verify(password, encoded)
        try:
            return bool(sodium.crypto_pwhash_str_verify(phc.encode("ascii"), password.encode()))
        except InvalidkeyError:
            return False
