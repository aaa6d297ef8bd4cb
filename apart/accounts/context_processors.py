"""What every page of a logged-in person needs to warn before the session ends."""

from __future__ import annotations

from django.http import HttpRequest

from apart.accounts.timeout import seconds_left, warning_seconds


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """``session_timeout``: seconds left and warning lead, or None for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "left": seconds_left(request.session),
            "warning": warning_seconds(),
        }
    }
