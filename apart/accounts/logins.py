"""Generated logins (identifiants): « prénom.nom », then « prénom.nom1 », « prénom.nom2 »...

Rule (decided here, the guide only shows « gerard.menuca1 » for Gérard Menuça): each name is
folded to lower-case ASCII (accents removed, « ß » -> « ss »); spaces, apostrophes and hyphens
become one « - »; every other character (digits included, so that the numeric suffix stays
unambiguous) is dropped; leading and trailing « - » are trimmed. « Jean Christophe » and
« Jean-Christophe » both give « jean-christophe »; « D'Artagnan » gives « d-artagnan ».
A name that folds to nothing is left out; if both do, the base is « utilisateur ».
"""

import re

from apart.core.normalize import fold

LOGIN_MAX_LENGTH = 150
_BASE_MAX_LENGTH = 140  # room for the numeric suffix
_SEPARATORS = re.compile(r"[\s'’‘`´\-‐‑–—]+")
_NOT_ALLOWED = re.compile(r"[^a-z-]")
_DASHES = re.compile(r"-{2,}")
_LOGIN_CHARS = re.compile(r"^[a-z0-9][a-z0-9.\-_]*$")


def _slug(name: str) -> str:
    text = _SEPARATORS.sub("-", fold(name))
    text = _NOT_ALLOWED.sub("", text)
    return _DASHES.sub("-", text).strip("-")


def base_login(*, first_name: str, last_name: str) -> str:
    parts = [part for part in (_slug(first_name), _slug(last_name)) if part]
    base = ".".join(parts) or "utilisateur"
    return base[:_BASE_MAX_LENGTH].rstrip("-.")


def smallest_free_login(base: str, taken: set[str]) -> str:
    """``base`` if free, else ``base`` followed by the smallest number >= 1 that is free."""
    if base not in taken:
        return base
    number = 1
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def normalize_typed_login(raw: str) -> str:
    """What the user typed in « Utilisateur » as it is looked up (logins are lower case)."""
    return raw.strip().lower()


def is_valid_login(login: str) -> bool:
    """Logins typed by an administrator (createagent) follow the generated ones' alphabet."""
    return len(login) <= LOGIN_MAX_LENGTH and bool(_LOGIN_CHARS.match(login))
