from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

from apart.core.accessibility import current_audit

# RGAA conformity levels, translated when shown.
ACCESSIBILITY_STATUSES = (
    gettext_noop("totalement conforme"),
    gettext_noop("partiellement conforme"),
    gettext_noop("non conforme"),
)


def site(request: HttpRequest) -> dict[str, object]:
    """Service-wide values every template may show (no database query)."""
    return {
        "SERVICE_NAME": settings.APART_SERVICE_NAME,
        "ASSISTANCE_PHONE": settings.APART_ASSISTANCE_PHONE,
        "ASSISTANCE_HOURS": settings.APART_ASSISTANCE_HOURS,
        "ACCESSIBILITY_STATUS": gettext(current_audit().level),
        "DEMO_MAILBOX": settings.APART_DEMO_MAILBOX,
    }
