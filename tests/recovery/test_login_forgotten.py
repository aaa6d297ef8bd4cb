"""« J'ai oublié mon identifiant » (guide, chapter 4)."""

import pytest

from apart.audit.models import AuditEvent
from apart.core.captcha import CAPTCHA_ERROR
from tests.recovery.helpers import (
    ANSWER,
    LOGIN_QUESTION,
    LOGIN_SENT,
    LOGIN_START,
    QUESTION,
    answer,
    ask_login,
    html,
)

pytestmark = pytest.mark.django_db

NO_RECOVERY_WITHOUT_ANSWER = (
    "Si vous avez oublié vos questions et réponses secrètes, alors il vous est impossible de "
    "récupérer votre identifiant. Vous devez contacter l'Assistance."
)


def test_step_one_is_the_guides_window(client):
    page = html(client.get(LOGIN_START))

    assert "<h1>Mon Compte</h1>" in page
    assert "J'ai oublié mon identifiant" in page
    assert ">Courriel</label>" in page
    assert "Veuillez résoudre l'opération suivante :" in page
    assert ">Continuer</button>" in page


def test_every_page_says_the_assistance_is_the_only_way_without_the_answer(client, settings):
    settings.APART_ASSISTANCE_PHONE = "0800.000.111"
    settings.APART_ASSISTANCE_HOURS = "09h00 à 17h00"

    page = html(client.get(LOGIN_START))

    assert NO_RECOVERY_WITHOUT_ANSWER in page
    assert "de 09h00 à 17h00 au 0800.000.111" in page


def test_the_email_leads_to_the_secret_question(client, account):
    response = ask_login(client, account.email)

    assert response.status_code == 302
    assert response.url == LOGIN_QUESTION
    page = html(client.get(LOGIN_QUESTION))
    assert "Question secrète" in page
    assert QUESTION in page
    assert ">Réponse secrète</label>" in page
    assert ">Valider</button>" in page
    assert NO_RECOVERY_WITHOUT_ANSWER in page


def test_the_right_answer_sends_the_login(client, account, smtp_server, deliver_outbox):
    ask_login(client, account.email)

    response = answer(client, LOGIN_QUESTION, ANSWER)

    assert response.url == LOGIN_SENT
    assert "Un mail contenant votre identifiant de connexion" in html(client.get(LOGIN_SENT))
    deliver_outbox()
    [message] = smtp_server.messages
    assert message["To"] == account.email
    assert message["Subject"] == (
        "Identifiant de connexion à l'Agence de Services et de Paiement (ASP)"
    )
    body = smtp_server.text_of(message)
    assert "Bonjour Gérard Menuça" in body
    assert "Voici votre identifiant de connexion:" in body
    assert account.login in body
    assert "Cet e-mail a été généré automatiquement. Merci de ne pas y répondre." in body


def test_the_email_is_found_whatever_its_case_and_accents(client, account, smtp_server):
    ask_login(client, " Gérard.MENUCA@exemple.fr ")

    response = answer(client, LOGIN_QUESTION, ANSWER)

    assert response.url == LOGIN_SENT


def test_an_invalid_email_is_refused_next_to_the_field(client):
    response = ask_login(client, "pas-une-adresse")

    page = html(response)
    assert "L'adresse électronique est invalide." in page
    assert 'aria-describedby="id_email-desc-error"' in page
    assert 'value="pas-une-adresse"' in page


def test_a_wrong_operation_is_refused(client, account):
    response = ask_login(client, account.email, captcha="1000")

    assert CAPTCHA_ERROR in html(response)
    assert client.get(LOGIN_QUESTION).url == LOGIN_START


def test_a_wrong_answer_sends_nothing(client, account, smtp_server, deliver_outbox):
    ask_login(client, account.email)

    response = answer(client, LOGIN_QUESTION, "Neuf cents")

    assert "La réponse secrète est incorrecte. Il vous reste 2 essais." in html(response)
    deliver_outbox()
    assert smtp_server.messages == []


def test_the_journey_is_audited(client, account):
    ask_login(client, account.email)
    answer(client, LOGIN_QUESTION, "Neuf cents")
    answer(client, LOGIN_QUESTION, ANSWER)

    actions = list(
        AuditEvent.objects.filter(action__startswith="recovery.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "recovery.login.requested",
        "recovery.login.answer_failed",
        "recovery.login.answer_accepted",
        "recovery.login.sent",
    ]


@pytest.mark.parametrize("typed", ["a" * 300 + "@exemple.fr", "jean\x00@exemple.fr", "@", "é@é"])
def test_odd_emails_never_break_the_page(client, typed):
    response = ask_login(client, typed)

    assert response.status_code == 200
    assert "fr-input-group--error" in html(response)


@pytest.mark.parametrize("typed", ["x" * 5000, "re\x00ponse", "\u202e"])
def test_odd_answers_never_break_the_page(client, account, typed):
    ask_login(client, account.email)

    response = answer(client, LOGIN_QUESTION, typed)

    assert response.status_code == 200
