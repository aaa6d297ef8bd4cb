"""Logging in through the real pages, second step included."""

from typing import Any

from tests.accounts.factories import STRONG_PASSWORD
from tests.accounts.helpers import submit_login


def submit_code(client: Any, code: str, **extra: str) -> Any:
    client.get("/connexion/verification/")
    return client.post("/connexion/verification/", {"code": code, **extra})


def log_in_with_code(client: Any, login: str, code: str, password: str = STRONG_PASSWORD) -> Any:
    response = submit_login(client, login, password)
    assert response.status_code == 302 and response.url.startswith("/connexion/verification/")
    return submit_code(client, code)
