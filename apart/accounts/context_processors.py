"""What every page of a logged-in person needs: the session's time left (for « Votre session va
expirer »), and the notice that a kept draft filled the page's forms."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from apart.accounts.timeout import seconds_left, warning_seconds
from apart.core.forms.restore import restored_into_forms

DRAFT_RESTORED = gettext_noop(
    "Nous avons repris ce que vous aviez saisi avant l'interruption. Vérifiez-le, puis "
    "envoyez le formulaire de nouveau."
)


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """``session_timeout``: seconds left and warning lead, or None for anonymous visitors. Also
    says, once, that the page's forms start from a kept draft."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"session_timeout": None}
    if restored_into_forms() and not getattr(request, "_apart_draft_announced", False):
        # The view has built its forms, the page has not shown its messages yet: said here, the
        # notice is on the page whose forms were filled (apart.accounts.drafts).
        request._apart_draft_announced = True  # type: ignore[attr-defined]
        messages.info(request, gettext(DRAFT_RESTORED))
    return {
        "session_timeout": {
            "left": seconds_left(request.session),
            "warning": warning_seconds(),
        }
    }
