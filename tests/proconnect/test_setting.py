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
