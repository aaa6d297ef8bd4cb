"""The test OpenID provider, started on loopback for each test that asks for it (fixture
`provider`, registered in tests/conftest.py for the HTTP and the browser tests)."""

from collections.abc import Iterator
from typing import Any

import pytest

from apart.proconnect import client as proconnect_client
from tests.proconnect.provider import CLIENT_ID, CLIENT_SECRET, TestProvider

EMPLOYER = {
    "sub": "sub-employeur-0001",
    "email": "gerard.menuca@example.fr",
    "given_name": "Gérard",
    "usual_name": "Menuça",
    "phone": "0612345678",
}


def point_at(settings: Any, issuer: str) -> None:
    settings.APART_PROCONNECT_ISSUER = issuer
    settings.APART_PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.APART_PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.APART_CSP_FORM_ACTION = [issuer]
    settings.APART_PROCONNECT_TIMEOUT = 2
    settings.APART_PROCONNECT_ACR = ""
    settings.APART_PROCONNECT_AGENT_EMAIL_DOMAINS = ["asp.fr"]


@pytest.fixture
def provider(settings: Any) -> Iterator[TestProvider]:
    started = TestProvider().start()
    started.user = dict(EMPLOYER)
    point_at(settings, started.issuer)
    proconnect_client._app.cache_clear()
    yield started
    started.stop()
