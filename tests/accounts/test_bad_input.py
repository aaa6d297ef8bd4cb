import pytest

from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login, submit_password_change

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("x" * 10_000, "y"),
        ("ilmen.foplus", "y" * 10_000),
        ("ilmen\x00foplus", STRONG_PASSWORD),
        ("ilmen.foplus", "Bon\x00Mot2passe!"),
        ("ilmen\u202efoplus", STRONG_PASSWORD),
        ("\x1b[31milmen", STRONG_PASSWORD),
        ("", ""),
        ("Ｉｌｍｅｎ．ｆｏｐｌｕｓ", STRONG_PASSWORD),
        ("\U0001f600", "\U0001f600"),
    ],
)
def test_odd_input_gets_a_message_never_an_error(client, login, password):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, login, password)

    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode() or "Identifiant ou mot de passe" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_missing_fields_are_reported_in_french(client):
    client.get("/connexion/")

    html = client.post("/connexion/", {}).content.decode()

    assert html.count("Ce champ est obligatoire.") == 2


def test_a_login_without_csrf_token_is_refused(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = client.post("/connexion/", {"login": "ilmen.foplus", "password": STRONG_PASSWORD})

    assert response.status_code == 403


def test_a_replayed_login_form_after_logout_does_not_reopen_the_session(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    client.get("/connexion/")
    stale_token = client.cookies["csrftoken"].value
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    client.post("/deconnexion/", {})

    response = client.post(
        "/connexion/",
        {"login": "ilmen.foplus", "password": "faux", "csrfmiddlewaretoken": stale_token},
    )

    assert response.status_code in {200, 403}
    assert "_auth_user_id" not in client.session


def test_odd_input_in_the_password_change_is_refused_with_a_message(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    response = submit_password_change(client, STRONG_PASSWORD, "Nouveau\x00Mot2passe!" * 20)

    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()


def test_a_next_too_long_is_refused_with_a_message(client):
    client.get("/connexion/")

    response = client.post("/connexion/", {"login": "a", "password": "b", "next": "/" + "x" * 5000})

    assert response.status_code == 200


def test_an_unknown_http_method_is_refused(client):
    client.get("/connexion/")

    response = client.put("/connexion/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert response.status_code == 405
