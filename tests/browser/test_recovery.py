"""Guide, chapters 3 and 4, in the browser: « J'ai oublié mon mot de passe » and « J'ai oublié mon
identifiant », reading the emails from a real SMTP server, with the accessibility check on every
page."""

import re

import pytest

from tests.accounts.factories import make_active_account
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Mille deux cents"
NEW_PASSWORD = "Autre-Mot2passe!"


@pytest.fixture
def account():
    return make_active_account(
        first_name="Gérard",
        last_name="Menuça",
        email="gerard.menuca@exemple.fr",
        secret_question="cylindrée",
        secret_answer=ANSWER,
    )


def solve_operation(page) -> None:
    """Read the text question and type its answer (the test looks the answer up: a person
    reads « Retirez deux de 11 : combien reste-t-il ? » and knows it)."""
    from captcha.models import CaptchaStore

    from apart.core.text_challenge import question_from_seed

    shown = page.locator("#id_captcha_question").inner_text().strip()
    answers = [
        answer
        for seed in CaptchaStore.objects.filter(challenge__startswith="tc:").values_list(
            "challenge", flat=True
        )
        for question, answer in [question_from_seed(seed)]
        if question == shown
    ]
    assert answers, shown
    page.get_by_label("Veuillez résoudre l'opération suivante :").fill(answers[0])


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_forgotten_password_from_the_home_page_to_the_new_password(
    page, live_server, settings, account, smtp_server, deliver_outbox
):
    settings.APART_PUBLIC_URL = live_server.url
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="J'ai oublié mon mot de passe").click()
    page.wait_for_url(re.compile("/mot-de-passe-oublie/$"))
    assert page.get_by_role("heading", name="GESTION DU MOT DE PASSE").is_visible()
    assert_accessible(page)

    # An email typed instead of the login: the guide's two messages.
    page.get_by_label("Identifiant").fill(account.email)
    solve_operation(page)
    submit(page, "Envoyer")
    assert page.locator(".fr-alert--error").first.inner_text() == (
        "Opération impossible pour ce type d'utilisateur"
    )
    assert page.get_by_text(
        "Entrez votre identifiant pour réinitialiser votre mot de passe. Cliquez ensuite sur le "
        "lien transmis par mail."
    ).is_visible()
    assert_accessible(page)

    page.get_by_label("Identifiant").fill(account.login)
    solve_operation(page)
    submit(page, "Envoyer")
    page.wait_for_url(re.compile("/question-secrete/$"))
    assert page.get_by_text("cylindrée", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_label("Réponse secrète").fill("Neuf cents")
    submit(page, "Valider")
    assert page.get_by_text(
        "La réponse secrète est incorrecte. Il vous reste 2 essais."
    ).is_visible()
    assert_accessible(page)

    page.get_by_label("Réponse secrète").fill(ANSWER)
    submit(page, "Valider")
    assert page.get_by_text("Un mail de confirmation a été envoyé").is_visible()
    assert_accessible(page)

    deliver_outbox()
    [message] = smtp_server.to(account.email)
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    link = re.search(r"https?://\S+/jeton/\S+/", smtp_server.text_of(message))
    assert link is not None
    page.goto(link.group(0))
    assert page.get_by_text("Vous devez indiquer votre nouveau mot de passe").is_visible()
    assert page.get_by_label("Adresse de messagerie").input_value() == account.email
    assert page.get_by_text("Nombre minimum de caractères : 8").is_visible()
    assert_accessible(page)

    # The image captcha cannot be read here: ask for the operation instead (kept accessible).
    submit(page, "Je ne peux pas lire l'image : question en texte")
    page.get_by_label("Nouveau mot de passe").fill("autre-mot2passe!")
    page.get_by_label("Confirmation").fill("autre-mot2passe!")
    solve_operation(page)
    submit(page, "Envoyer")
    assert page.locator(".fr-alert--error").first.inner_text() == (
        "Votre mot de passe n'a pas assez de majuscules"
    )
    assert_accessible(page)

    page.get_by_label("Nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_label("Confirmation").fill(NEW_PASSWORD)
    solve_operation(page)
    submit(page, "Envoyer")
    assert page.get_by_text("Votre mot de passe a été changé").is_visible()
    assert_accessible(page)

    deliver_outbox()
    subjects = [m["Subject"] for m in smtp_server.to(account.email)]
    assert subjects == [
        "Réinitialisation de votre mot de passe",
        "Votre mot de passe a été modifié",
    ]
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_forgotten_login_from_the_home_page_to_the_email(
    page, live_server, account, smtp_server, deliver_outbox
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="J'ai oublié mon identifiant").click()
    page.wait_for_url(re.compile("/identifiant-oublie/$"))
    assert page.get_by_role("heading", name="Mon Compte").is_visible()
    assert page.get_by_text("il vous est impossible de récupérer votre identifiant").is_visible()
    assert_accessible(page)

    page.get_by_label("Courriel").fill("Gérard.Menuca@exemple.fr")
    solve_operation(page)
    submit(page, "Continuer")
    assert page.get_by_text("cylindrée", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_label("Réponse secrète").fill(ANSWER)
    submit(page, "Valider")
    assert page.get_by_text("Un mail contenant votre identifiant de connexion").is_visible()
    assert_accessible(page)

    deliver_outbox()
    [message] = smtp_server.to(account.email)
    assert message["Subject"] == (
        "Identifiant de connexion à l'Agence de Services et de Paiement (ASP)"
    )
    body = smtp_server.text_of(message)
    assert "Voici votre identifiant de connexion:" in body
    assert account.login in body
