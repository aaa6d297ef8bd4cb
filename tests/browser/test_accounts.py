"""Guide, « Première connexion »: an agent created by createagent logs in, is forced to change
the password, is sent back to log in, logs in with the new one, must enrol a second factor;
wrong passwords lock it."""

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.axe import assert_accessible
from tests.browser.second_factor import enrol_authenticator_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Nouveau-Mot2passe?"


def create_agent() -> str:
    out = io.StringIO()
    call_command(
        "createagent",
        "marie.durand",
        "--email",
        "marie@asp.fr",
        "--role",
        "instructeur",
        stdout=out,
    )
    match = re.search(r"\(affiché une seule fois\) : (\S+)", out.getvalue())
    assert match is not None
    return match.group(1)


def log_in(page, login: str, password: str) -> None:
    box = page.locator("form.apart-login-form")
    box.get_by_label("Utilisateur :").fill(login)
    box.get_by_label("Mot de passe :").fill(password)
    with page.expect_navigation():
        box.get_by_role("button", name="Connexion").click()


def test_an_agent_changes_the_temporary_password_at_first_login(page, live_server):
    temporary = create_agent()
    page.goto(live_server.url + "/")
    assert_accessible(page)

    log_in(page, "marie.durand", temporary)

    page.wait_for_url(re.compile("/changement-mot-de-passe/"))
    assert page.get_by_role(
        "heading", name="Changement du mot de passe pour marie.durand"
    ).is_visible()
    assert page.get_by_text("Les caractères accentués ne sont pas autorisés.").is_visible()
    assert_accessible(page)

    page.get_by_label("Entrez l'ancien mot de passe :").fill(temporary)
    page.get_by_label("Entrez le nouveau mot de passe :").fill("motdepasse")
    page.get_by_label("Confirmez le nouveau mot de passe :").fill("motdepasse")
    with page.expect_navigation():
        page.get_by_role("button", name="Changement du mot de passe").click()
    assert page.get_by_text("Votre mot de passe n'a pas assez de majuscules").is_visible()
    assert_accessible(page)

    page.get_by_label("Entrez l'ancien mot de passe :").fill(temporary)
    page.get_by_label("Entrez le nouveau mot de passe :").fill(NEW_PASSWORD)
    page.get_by_label("Confirmez le nouveau mot de passe :").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Changement du mot de passe").click()

    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Votre mot de passe a été changé.").is_visible()
    assert page.get_by_role("heading", name="MON ESPACE PERSONNEL").is_visible()
    assert_accessible(page)

    log_in(page, "marie.durand", NEW_PASSWORD)
    # Agents must enrol a second factor before anything else.
    page.wait_for_url(re.compile("/double-authentification/$"))
    assert page.get_by_text("Enregistrez un moyen de double authentification").is_visible()
    page.goto(live_server.url + "/gestion/")
    page.wait_for_url(re.compile("/double-authentification/$"))
    enrol_authenticator_app(page, NEW_PASSWORD)
    page.goto(live_server.url + "/gestion/")
    assert page.get_by_role("heading", name="Gestion de l'Activité Partielle").is_visible()
    page.get_by_role("button", name="DÉCONNEXION").first.click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Vous êtes déconnecté.").is_visible()


def test_wrong_passwords_lock_the_account(page, live_server):
    create_agent()
    page.goto(live_server.url + "/connexion/")
    assert_accessible(page)

    for _ in range(4):
        log_in(page, "marie.durand", "Mauvais-Mot2passe")
        assert page.get_by_text("Identifiant ou mot de passe incorrect.").is_visible()
    assert_accessible(page)
    log_in(page, "marie.durand", "Mauvais-Mot2passe")

    alert = page.get_by_role("alert")
    assert "Votre compte est temporairement verrouillé" in alert.inner_text()
    assert re.search(r"\d\d/\d\d/\d{4} à \d\d:\d\d", alert.inner_text())
    assert page.get_by_label("Utilisateur :").input_value() == "marie.durand"
    assert_accessible(page)
