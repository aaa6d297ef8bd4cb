"""What a person typed is not lost when the session or the recent authentication ends first.

A form sent after the idle timeout (apart.accounts.middleware.SessionTimeoutMiddleware), or after
the « Mot de passe actuel » window closed (apart.accounts.reauth), would be thrown away: the
person logs in (or proves the password) again and finds the page empty. Instead its fields are
kept in the session, as a *draft*:

- bound to the account that was logged in, and to the page the form was on; once that account
  is back on that page (after the login or the reauthentication), the page's empty forms start
  from the draft (apart.core.forms.restore), until a page has shown its values; the person
  reviews them and sends again;
- after the idle timeout the old session is flushed as before and the draft goes into the new,
  anonymous session of the same browser: only the holder of that new cookie can reach it, and
  only by logging in as the same account (any other account drops it unread). The draft never
  depends on a login typed, so it tells nothing of which accounts exist;
- never kept: passwords, secret answers, second-factor codes and credentials, IBAN and BIC,
  NIR, captcha answers, the CSRF token, and confirmations (« Je confirme cette décision », the
  terms of use: ticked again by the person) (``SENSITIVE_FIELDS``); files are never in ``POST``;
- small and short-lived: at most ``MAX_FIELDS`` fields, ``MAX_VALUE_CHARS`` per value and
  ``MAX_TOTAL_CHARS`` in all (what is beyond is dropped), for ``APART_DRAFT_SECONDS``.
- the submission's CSRF token is checked before anything is kept: another site cannot plant
  values in someone's form.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware

DRAFT = "apart_form_draft"
MAX_FIELDS = 200
MAX_VALUE_CHARS = 10_000
MAX_TOTAL_CHARS = 64_000

# Compared with the field name without its form prefix (``prefix-name``), lower case.
SENSITIVE_FIELDS = frozenset(
    {
        "csrfmiddlewaretoken",
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password",
        "confirmation",
        "answer",
        "secret_answer",
        "code",
        "credential",
        "iban",
        "bic",
        "nir",
        "token",
        # A confirmation is an act of its own (RGAA 11.12): ticked again, never restored.
        "confirmed",
        "accept_terms",
    }
)
_SENSITIVE_PARTS = ("password", "passe", "captcha", "iban", "secret_answer", "token")


def _seconds() -> int:
    return int(getattr(settings, "APART_DRAFT_SECONDS", 3600))


def is_sensitive(name: str) -> bool:
    """Whether a posted field is never kept (see the module's list)."""
    bare = name.rsplit("-", 1)[-1].lower()
    lowered = name.lower()
    return bare in SENSITIVE_FIELDS or any(part in lowered for part in _SENSITIVE_PARTS)


def _csrf_passed(request: HttpRequest) -> bool:
    """The same check as the view's would have been (the timeout answers before any view)."""

    def no_view(request: HttpRequest) -> None:  # pragma: no cover - never called
        return None

    refusal = CsrfViewMiddleware(lambda r: None).process_view(request, no_view, (), {})  # type: ignore[arg-type]
    return refusal is None


def typed_fields(request: HttpRequest) -> dict[str, list[str]]:
    """The submission's fields worth keeping, within the size limits."""
    kept: dict[str, list[str]] = {}
    total = 0
    for name, values in request.POST.lists():
        if len(kept) >= MAX_FIELDS or len(name) > 200 or is_sensitive(name):
            continue
        usable = [value for value in values if len(value) <= MAX_VALUE_CHARS]
        size = len(name) + sum(len(value) for value in usable)
        if not usable or total + size > MAX_TOTAL_CHARS:
            continue
        kept[name] = usable
        total += size
    return kept


def _meaningful(fields: dict[str, list[str]]) -> bool:
    # A form holding only hidden plumbing (« next ») or empty fields is not worth a draft.
    return any(
        value.strip() for name, values in fields.items() if name != "next" for value in values
    )


def keep_draft(request: HttpRequest, *, account_id: int, path: str) -> bool:
    """Keep the submission's fields for ``account_id`` on ``path`` (the page the form was on).

    Returns whether something was kept. Nothing is kept for a submission that fails the CSRF
    check, or that holds nothing worth keeping (a draft already there then stays)."""
    if request.method != "POST" or not _csrf_passed(request):
        return False
    fields = typed_fields(request)
    if not _meaningful(fields):
        return False
    request.session[DRAFT] = {
        "account": account_id,
        "path": path.split("?", 1)[0].split("#", 1)[0],
        "at": time.time(),
        "fields": fields,
    }
    return True


def carry_over(request: HttpRequest) -> dict[str, Any] | None:
    """The draft of the current session, to be put back after the session is flushed."""
    draft = request.session.get(DRAFT)
    return draft if isinstance(draft, dict) else None


def put_back(request: HttpRequest, draft: dict[str, Any] | None) -> None:
    if draft is not None:
        request.session[DRAFT] = draft


def pending_fields(request: HttpRequest) -> dict[str, list[str]] | None:
    """The fields to restore on this page for the logged-in person; a draft of another account,
    or past its time, is dropped unread. The draft stays until its values were shown
    (``discard``): a page that shows the form only after a step (« Mot de passe actuel ») gets
    it again after that step."""
    draft = request.session.get(DRAFT)
    if draft is None:
        return None
    user = request.user
    if not user.is_authenticated:
        return None  # waits for the login
    fresh = isinstance(draft, dict) and 0 <= time.time() - float(draft.get("at", 0)) <= _seconds()
    if not fresh or draft.get("account") != user.pk:
        del request.session[DRAFT]
        return None
    if draft.get("path") != request.path:
        return None
    fields = draft.get("fields")
    return fields if isinstance(fields, dict) else None


def discard(request: HttpRequest) -> None:
    """The draft's values were shown in the page's form: they are the form's now."""
    request.session.pop(DRAFT, None)


def has_draft(request: HttpRequest) -> bool:
    return isinstance(request.session.get(DRAFT), dict)
