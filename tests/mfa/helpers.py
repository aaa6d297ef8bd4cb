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


def confirm_identity(client: Any, account: Any, password: str = STRONG_PASSWORD) -> Any:
    """« Confirmez votre identité » through the real pages: the password, then the factor when
    the account has one."""
    from tests.mfa.factories import unused_code

    client.get("/confirmer-mon-identite/")
    response = client.post("/confirmer-mon-identite/", {"password": password, "next": ""})
    assert response.status_code == 302, response.content.decode()[:500]
    if response.url.startswith("/confirmer-mon-identite/double-authentification/"):
        client.get(response.url)
        response = client.post(
            "/confirmer-mon-identite/double-authentification/", {"code": unused_code(account)}
        )
        assert response.status_code == 302, response.content.decode()[:500]
    return response
