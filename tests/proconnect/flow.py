"""Walking the ProConnect sign-in with the test client; the provider's part with plain HTTP."""

from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from tests.proconnect.provider import TestProvider

START = reverse("proconnect:start")
CALLBACK = reverse("proconnect:callback")
LINK = reverse("proconnect:link")
LOGIN = reverse("accounts:login")


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def press_button(client: Any) -> Any:
    """The home page, then « S'identifier avec ProConnect » (a POST with its CSRF token)."""
    client.get("/")
    return client.post(START, {})


def callback_url(client: Any, provider: TestProvider) -> str:
    """Press the button and let the provider answer: the callback URL, not yet visited."""
    response = press_button(client)
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(provider.issuer + "/authorize?")
    return local(provider.authorize(response["Location"]))


def sign_in(client: Any, provider: TestProvider) -> Any:
    """The whole round trip; returns our callback's response."""
    return client.get(callback_url(client, provider))


def shown_messages(client: Any, response: Any) -> str:
    """The page the browser lands on after ``response`` (a redirect), as text."""
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()
