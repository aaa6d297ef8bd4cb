"""What the user typed at step 1, kept between the steps in the (server-side) session.

Nothing about the account is stored, not even whether one matched: every step looks the account
up again from the typed value, so that a known and an unknown value take the same path and no
page carries a hidden field that would tell them apart.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models

from apart.core.normalize import fold

SESSION_KEY = "apart_recovery"


class Flow(models.TextChoices):
    PASSWORD = "password", "J'ai oublié mon mot de passe"
    LOGIN = "login", "J'ai oublié mon identifiant"


@dataclass(frozen=True)
class Journey:
    flow: str
    typed: str  # as typed at step 1 (stripped)
    started_at: float

    @property
    def typed_key(self) -> str:
        """The typed value folded (case, accents, spaces): variants of one value count as one."""
        return fold(self.typed)

    def save(self, session: Any) -> None:
        session[SESSION_KEY] = {"flow": self.flow, "typed": self.typed, "at": self.started_at}

    @classmethod
    def begin(cls, session: Any, *, flow: str, typed: str) -> Journey:
        journey = cls(flow=flow, typed=typed.strip(), started_at=time.time())
        journey.save(session)
        return journey

    @classmethod
    def load(cls, session: Any, *, flow: str) -> Journey | None:
        """The journey of ``flow`` begun within APART_RECOVERY_STATE_MINUTES, else None."""
        raw = session.get(SESSION_KEY)
        if not isinstance(raw, dict) or raw.get("flow") != flow:
            return None
        try:
            journey = cls(flow=flow, typed=str(raw["typed"]), started_at=float(raw["at"]))
        except (KeyError, TypeError, ValueError):
            return None
        if time.time() - journey.started_at > settings.APART_RECOVERY_STATE_MINUTES * 60:
            return None
        return journey

    @staticmethod
    def end(session: Any) -> None:
        session.pop(SESSION_KEY, None)
