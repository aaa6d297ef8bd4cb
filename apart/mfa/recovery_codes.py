"""Recovery codes (« codes de secours »): ten single-use codes, shown once, stored hashed.

12 characters of Crockford's base32 (60 random bits each, ASVS 6.5.4 asks 20), printed as
XXXX-XXXX-XXXX. Below 112 bits ASVS 6.5.2 asks a salted password hash: they are hashed with the
project's Argon2id hasher, like passwords.
"""

from __future__ import annotations

import secrets

COUNT = 10
LENGTH = 12
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate() -> list[str]:
    return ["".join(secrets.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(COUNT)]


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize(text: str) -> str:
    """What was typed, as it was generated: upper case, no dashes or spaces, look-alikes fixed."""
    kept = "".join(ch for ch in text.upper() if ch not in " -\t\u00a0")
    return kept.translate(_LOOK_ALIKES)


def plausible(text: str) -> bool:
    code = normalize(text)
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)
