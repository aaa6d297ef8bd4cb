"""What an agent's decision form posts besides its own fields: « Je confirme cette décision »
ticked (RGAA 11.12; apart.core.forms.decision)."""

from typing import Any


def confirmed(data: dict[str, Any] | None = None, *, prefix: str = "") -> dict[str, Any]:
    """``data`` with the confirmation box ticked (``prefix``: the form's own, e.g. "autoriser")."""
    return {**(data or {}), f"{prefix}-confirmed" if prefix else "confirmed": "on"}
