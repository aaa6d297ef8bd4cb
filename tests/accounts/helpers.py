"""Submitting the login and password change forms the way a browser does (GET, then POST)."""

from typing import Any

from django.contrib.messages import get_messages


def submit_login(client: Any, login: str, password: str, **extra: str) -> Any:
    client.get("/connexion/")
    return client.post("/connexion/", {"login": login, "password": password, **extra})


def submit_password_change(client: Any, old: str, new: str, confirmation: str | None = None) -> Any:
    client.get("/changement-mot-de-passe/")
    return client.post(
        "/changement-mot-de-passe/",
        {
            "old_password": old,
            "new_password": new,
            "confirmation": new if confirmation is None else confirmation,
        },
    )


def shown_messages(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]
