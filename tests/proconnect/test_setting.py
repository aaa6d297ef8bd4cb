"""Without APART_PROCONNECT_ISSUER the site is unchanged; with it, the button is there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUTTON = "S&#x27;identifier avec"


def test_no_button_without_the_issuer(client, settings):
    settings.APART_PROCONNECT_ISSUER = ""

    for path in ("/", "/connexion/"):
        page = client.get(path).content.decode()
        assert "ProConnect" not in page


def test_no_route_without_the_issuer(client, settings):
    settings.APART_PROCONNECT_ISSUER = ""
    client.get("/")

    assert client.post(reverse("proconnect:start"), {}).status_code == 404
    assert client.get(reverse("proconnect:callback") + "?code=a&state=b").status_code == 404
    assert client.get(reverse("proconnect:link")).status_code == 404


def test_the_policy_is_unchanged_without_the_issuer(client, settings):
    settings.APART_PROCONNECT_ISSUER = ""
    settings.APART_CSP_FORM_ACTION = []

    policy = client.get("/")["Content-Security-Policy"]

    assert "form-action 'self';" in policy


def test_the_button_under_the_login_form(client, provider):
    page = client.get("/").content.decode()

    assert "S'identifier avec" in page
    assert '<span class="fr-connect__brand">ProConnect</span>' in page
    assert "Qu'est-ce que ProConnect ?" in page
    assert page.index("apart-login-form") < page.index("fr-connect")


def test_the_policy_lets_forms_reach_the_provider(client, provider):
    policy = client.get("/")["Content-Security-Policy"]

    assert f"form-action 'self' {provider.issuer};" in policy


def test_an_issuer_without_client_credentials_refuses_to_start():
    from tests.core.test_settings import _manage

    result = _manage("check", APART_PROCONNECT_ISSUER="https://proconnect.example")

    assert result.returncode != 0
    assert "APART_PROCONNECT_CLIENT_ID" in result.stderr


def test_production_refuses_a_plain_http_issuer():
    from tests.core.test_settings import PRODUCTION, _manage

    result = _manage(
        "check",
        **PRODUCTION,
        APART_PROCONNECT_ISSUER="http://proconnect.example",
        APART_PROCONNECT_CLIENT_ID="client",
        APART_PROCONNECT_CLIENT_SECRET="secret",
    )

    assert result.returncode != 0
    assert "must be an https:// URL in production" in result.stderr
