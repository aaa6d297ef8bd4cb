"""One getter of the logged-in account: 404 for anything else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from apart.accounts.requests import current_account
from tests.habilitations.factories import make_account

pytestmark = pytest.mark.django_db


def test_the_logged_in_account_is_returned() -> None:
    account = make_account()
    request = RequestFactory().get("/")
    request.user = account
    assert current_account(request) == account


def test_an_anonymous_visitor_gets_not_found() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        current_account(request)
