"""The password rules are stated in full wherever a password is chosen, and the server reports
every failing rule and the mismatch of the confirmation at once (without JavaScript)."""

import html

import pytest

from apart.accounts.recovery.services import issue_reset_token
from tests.accounts.factories import make_account
from tests.accounts.helpers import submit_login, submit_password_change
from tests.recovery.helpers import submit

pytestmark = pytest.mark.django_db

EVERY_RULE = (
    "Nombre minimum de caractères : 8",
    "Nombre minimum de minuscules : 1",
    "Nombre minimum de majuscules : 1",
    "Nombre minimum de chiffres : 1",
    "Nombre minimum de caractères spéciaux : 1",
    "Les caractères accentués ne sont pas autorisés",
    "Votre nouveau mot de passe ne doit pas être identique à votre identifiant",
    "La confirmation est identique au nouveau mot de passe",
)


@pytest.fixture
def first_login(client):
    account, temporary = make_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, account.login, temporary)
    return account, temporary


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_the_first_login_change_states_every_rule(client, first_login):
    page = _page(client.get("/changement-mot-de-passe/"))

    for rule in EVERY_RULE:
        assert rule in page, rule


def test_the_first_login_change_reports_every_failing_rule_and_the_mismatch_at_once(
    client, first_login
):
    _, temporary = first_login

    page = _page(submit_password_change(client, temporary, "jardinier7!", "jardinier7?"))

    assert "Votre mot de passe n'a pas assez de majuscules" in page
    assert "Les mots de passe ne correspondent pas" in page


def test_the_reset_page_states_every_rule(client):
    account, _ = make_account()

    page = _page(client.get(f"/mot-de-passe-oublie/jeton/{issue_reset_token(account=account)}/"))

    for rule in EVERY_RULE:
        assert rule in page, rule


def test_the_reset_page_reports_every_failing_rule_and_the_mismatch_at_once(client):
    account, _ = make_account()
    path = f"/mot-de-passe-oublie/jeton/{issue_reset_token(account=account)}/"

    page = _page(submit(client, path, {"password1": "jardinier", "password2": "jardinier7"}))

    for message in (
        "Votre mot de passe n'a pas assez de majuscules",
        "Votre mot de passe n'a pas assez de chiffres",
        "Votre mot de passe n'a pas assez de caractères spéciaux",
        "Les mots de passe ne correspondent pas",
    ):
        assert message in page, message
