"""Queueing emails: call ``queue_email`` inside the transaction of the change that causes it."""

from email.utils import make_msgid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from apart.notifications.models import OutboundEmail

if TYPE_CHECKING:
    from apart.accounts.models import Account


def _service_context() -> dict[str, Any]:
    """Values every email template may use, whatever the caller passes."""
    return {
        "SERVICE_NAME": settings.APART_SERVICE_NAME,
        "ASSISTANCE_PHONE": settings.APART_ASSISTANCE_PHONE,
        "ASSISTANCE_HOURS": settings.APART_ASSISTANCE_HOURS,
        "PUBLIC_URL": settings.APART_PUBLIC_URL.rstrip("/"),
    }


def _render_plain(name: str, context: dict[str, Any]) -> str:
    """Render a text template without HTML escaping (an apostrophe stays an apostrophe)."""
    template = get_template(name).template  # type: ignore[attr-defined]
    return str(template.render(Context(context, autoescape=False)))


def _message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def queue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    account: "Account | None" = None,
    sensitive: bool = False,
    from_name: str = "",
) -> OutboundEmail:
    """Store one email, rendered now from ``<template>_subject.txt``, ``.txt`` and ``.html``.

    Call it inside the transaction of the change that causes the email: a rolled-back transaction
    leaves no row, so nothing is sent. The worker delivers the row later. ``sensitive`` bodies
    (passwords, tokens) are wiped from the database once the email has left. ``from_name``
    overrides the sender's display name (the guide's reset email comes from "... (Validation)").
    """
    address = to.strip()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValueError(f"invalid recipient address: {to!r}") from exc
    full_context = {**_service_context(), **context}
    # Emails are French, as in the guide, whatever language the requesting user chose.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(_render_plain(f"{template}_subject.txt", full_context).split())
        body_text = _render_plain(f"{template}.txt", full_context).strip() + "\n"
        body_html = render_to_string(f"{template}.html", full_context)
    return OutboundEmail.objects.create(
        to=address,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        account=account,
        template=template,
        sensitive=sensitive,
        from_name=from_name,
        message_id=_message_id(),
    )
