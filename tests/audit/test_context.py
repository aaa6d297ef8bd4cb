"""Services receive an AuditContext, never the request; the audit row copies it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.services import record_event
from tests.habilitations.factories import make_account

pytestmark = pytest.mark.django_db


def test_the_context_is_read_once_from_the_request() -> None:
    account = make_account()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="x" * 400)
    request.user = account
    context = AuditContext.from_request(request)
    assert context.actor == account
    assert context.ip_address == "203.0.113.9"
    assert context.user_agent == "x" * 300


def test_an_anonymous_visitor_is_no_actor() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    assert AuditContext.from_request(request).actor is None


def test_the_row_copies_the_context_and_its_actor() -> None:
    account = make_account()
    context = AuditContext(actor=account, ip_address="2001:db8::1", user_agent="Firefox")
    event = record_event(action=AuditAction.ACCOUNT_LOGIN, account=account, context=context)
    event.refresh_from_db()
    assert (event.actor, event.ip_address, event.user_agent) == (account, "2001:db8::1", "Firefox")
    assert event.action == "account.login"


def test_the_system_context_has_no_person_and_no_address() -> None:
    event = record_event(action=AuditAction.PRIVACY_PURGE, context=AuditContext.system())
    assert (event.actor, event.ip_address, event.user_agent) == (None, None, "")
