"""Django's session engines, writing a session once when the login gives it a new key.

``cycle_key()`` (what ``django.contrib.auth.login`` calls against session fixation) writes an
empty row under a new key at once, then the response writes the data again: two writes and an
existence query per login. Here the new key is drawn at once (so that the login can index it,
``apart.accounts.sessions``) and the old session is deleted at once, as in Django; the row is
written once, by the response's save, which must create it (``must_create``: an existing key is
an error, never an overwrite). The key has 32 characters of 36 (165 bits, Django's generator):
a clash with a live session is never expected, and would fail the request rather than share a
session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class CreateOnSaveMixin:
    """For a ``SessionStore`` of the db or cached_db engine (``save(must_create=...)``)."""

    _create_pending = False
    # Attributes of Django's SessionBase, for the type checker.
    _session: dict[str, Any]
    _session_cache: dict[str, Any]
    _session_key: str | None
    session_key: str | None
    modified: bool

    def cycle_key(self) -> None:
        data = self._session
        old_key = self.session_key
        self._session_key = get_random_string(32, VALID_KEY_CHARS)
        self._session_cache = data
        self._create_pending = True
        self.modified = True
        if old_key:
            self.delete(old_key)  # type: ignore[attr-defined]

    def save(self, must_create: bool = False) -> None:
        if self._create_pending:
            self._create_pending = False
            must_create = True
        super().save(must_create)  # type: ignore[misc]
