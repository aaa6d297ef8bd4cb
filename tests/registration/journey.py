"""Walking "Créer mon espace" with the test client (GET before each POST, as a browser does)."""

import re
from typing import Any

from django.urls import reverse

from tests.registration.factories import establishment, person

CAPTCHA = {"captcha_0": "unused", "captcha_1": "PASSED-TEST"}
STEP1 = reverse("registration:start")
STEP2 = reverse("registration:details")
DONE = reverse("registration:done")


def submit_step1(client: Any, siret: str, **extra: Any) -> Any:
    client.get(STEP1)
    return client.post(STEP1, {"siret": siret, "accept_terms": "on", **CAPTCHA, **extra})


def submit_step2(client: Any, data: dict[str, str] | None = None, **extra: Any) -> Any:
    client.get(STEP2)
    typed = data if data is not None else {**establishment(), **person()}
    return client.post(STEP2, {**typed, **CAPTCHA, **extra})


def register(client: Any, siret: str, data: dict[str, str] | None = None, **extra: Any) -> Any:
    """Both steps; returns step 2's response."""
    response = submit_step1(client, siret)
    assert response.status_code == 302, re.findall(
        r"fr-error-text\">([^<]*)", response.content.decode()
    )
    return submit_step2(client, data, **extra)
