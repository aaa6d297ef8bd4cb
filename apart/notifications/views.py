"""The demo mailbox ("boîte de réception de démonstration"): development only.

It exists only when settings.APART_DEMO_MAILBOX is on (development without SMTP server; forced
off in production and in tests); otherwise every page answers 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from apart.notifications.delivery import sender_address
from apart.notifications.models import OutboundEmail
from apart.notifications.selectors import demo_mailbox_emails

# The raw HTML of an email is our own template, but it is shown as a document of its own with
# nothing allowed: no script, no request anywhere, no form, not even framing.
_RAW_HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

View = Callable[..., HttpResponse]


def demo_mailbox_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.APART_DEMO_MAILBOX:
            raise Http404("no demo mailbox here")
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@demo_mailbox_only
def demo_mailbox(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/demo_mailbox.html", {"emails": demo_mailbox_emails()})


@require_safe
@demo_mailbox_only
def demo_email(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    context = {"email": email, "sender": sender_address()}
    return render(request, "notifications/demo_email.html", context)


@require_safe
@demo_mailbox_only
def demo_email_html(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    response = HttpResponse(email.body_html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = _RAW_HTML_CSP
    response["X-Robots-Tag"] = "noindex"
    return response
