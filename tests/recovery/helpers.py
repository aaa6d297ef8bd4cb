"""Helpers of the recovery tests: fill the forms the way a browser does (GET, then POST)."""

import html as html_lib
import re
from typing import Any

from django.test import Client
from django.urls import reverse

CAPTCHA_OK = "PASSED-TEST"  # settings_test's APART_CAPTCHA_TEST_ANSWER
ANSWER = "Mille deux cents"
QUESTION = "cylindrée"

PASSWORD_START = reverse("accounts:password_forgotten")
PASSWORD_QUESTION = reverse("accounts:password_question")
PASSWORD_SENT = reverse("accounts:password_sent")
PASSWORD_CHANGED = reverse("accounts:password_changed")
LOGIN_START = reverse("accounts:login_forgotten")
LOGIN_QUESTION = reverse("accounts:login_question")
LOGIN_SENT = reverse("accounts:login_sent")

_CAPTCHA_KEY = re.compile(r'<input[^>]*name="captcha_0"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


def html(response: Any) -> str:
    """The page, character references decoded (« l'opération » rather than « l&#x27;opération »)."""
    return html_lib.unescape(response.content.decode())


def captcha_key(response: Any) -> str:
    tag = _CAPTCHA_KEY.search(html(response))
    assert tag is not None, "no captcha on the page"
    value = _VALUE.search(tag.group(0))
    assert value is not None
    return value.group(1)


def submit(
    client: Client, url: str, data: dict[str, str], *, captcha: str | None = CAPTCHA_OK
) -> Any:
    """GET the page, then POST ``data`` (with the captcha answer when the page has one)."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    if captcha is not None:
        data = {**data, "captcha_0": captcha_key(page), "captcha_1": captcha}
    return client.post(url, data)


def ask_password_reset(client: Client, login: str, **kwargs: Any) -> Any:
    return submit(client, PASSWORD_START, {"login": login}, **kwargs)


def ask_login(client: Client, email: str, **kwargs: Any) -> Any:
    return submit(client, LOGIN_START, {"email": email}, **kwargs)


def answer(client: Client, url: str, text: str) -> Any:
    return submit(client, url, {"answer": text}, captcha=None)


def reset_link_path(body: str) -> str:
    match = re.search(r"https?://[^\s/]+(/mot-de-passe-oublie/jeton/[A-Za-z0-9_\-]+/)", body)
    assert match is not None, body
    return match.group(1)
