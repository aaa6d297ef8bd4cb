"""« J'ai oublié mon mot de passe », steps 1 and 2 and the email (guide, chapter 3)."""

import pytest

from apart.accounts.recovery.forms import EMAIL_INSTEAD_OF_LOGIN, EMAIL_INSTEAD_OF_LOGIN_HELP
from apart.audit.models import AuditEvent
from apart.core.captcha import CAPTCHA_ERROR
from tests.recovery.helpers import (
    ANSWER,
    PASSWORD_QUESTION,
    PASSWORD_SENT,
    PASSWORD_START,
    QUESTION,
    answer,
    ask_password_reset,
    html,
    reset_link_path,
)

pytestmark = pytest.mark.django_db


def test_step_one_asks_the_login_and_the_operation(client):
    page = html(client.get(PASSWORD_START))

    assert "GESTION DU MOT DE PASSE" in page
    assert ">Identifiant</label>" in page
    assert "Veuillez résoudre l'opération suivante :" in page
    assert "<img" not in page  # the arithmetic operation, as text
    assert ">Envoyer</button>" in page


def test_the_operation_is_shown_as_in_the_guide(client):
    from captcha.models import CaptchaStore

    from apart.core.text_challenge import question_from_seed

    page = html(client.get(PASSWORD_START))
    store = CaptchaStore.objects.latest("id")

    assert "Veuillez résoudre l'opération suivante" in page
    assert question_from_seed(store.challenge)[0] in page  # e.g. « Retirez deux de 11 : ... »


def test_the_login_leads_to_the_secret_question(client, account):
    response = ask_password_reset(client, account.login)

    assert response.status_code == 302
    assert response.url == PASSWORD_QUESTION
    page = html(client.get(PASSWORD_QUESTION))
    assert "Question secrète" in page
    assert QUESTION in page
    assert ">Réponse secrète</label>" in page
    assert ">Valider</button>" in page


def test_an_email_instead_of_a_login_gets_the_guides_error(client, account):
    response = ask_password_reset(client, account.email)

    page = html(response)
    assert response.status_code == 200
    assert str(EMAIL_INSTEAD_OF_LOGIN) in page
    assert EMAIL_INSTEAD_OF_LOGIN_HELP == (
        "Entrez votre identifiant pour réinitialiser votre mot de passe. "
        "Cliquez ensuite sur le lien transmis par mail."
    )
    assert str(EMAIL_INSTEAD_OF_LOGIN_HELP) in page
    assert "fr-alert--error" in page and "fr-alert--info" in page
    # Said once, as the guide's « ! » message above the form; the field is described by it.
    assert page.count(str(EMAIL_INSTEAD_OF_LOGIN)) == 1
    assert 'id="id_login-desc-error"' in page
    assert 'aria-describedby="id_login-desc-error"' in page


def test_the_email_error_does_not_depend_on_the_account_existing(client):
    response = ask_password_reset(client, "personne@nulle-part.fr")

    assert str(EMAIL_INSTEAD_OF_LOGIN_HELP) in html(response)


def test_a_wrong_operation_is_refused_with_the_guides_message(client, account):
    response = ask_password_reset(client, account.login, captcha="999")

    assert response.status_code == 200
    assert CAPTCHA_ERROR in html(response)
    assert f'value="{account.login}"' in html(response)  # what was typed is kept


def test_a_missing_login_is_refused_next_to_the_field(client):
    response = ask_password_reset(client, "")

    page = html(response)
    assert "Veuillez saisir votre identifiant." in page
    assert 'aria-describedby="id_login-desc-error"' in page
    assert "fr-input-group--error" in page


@pytest.mark.parametrize("typed", ["a" * 5000, "jean\x00dupont", "jean\x07dupont", "\u202e\ufeff"])
def test_odd_input_never_breaks_the_page(client, typed):
    response = ask_password_reset(client, typed)

    assert response.status_code in {200, 302}


def test_the_right_answer_sends_the_reset_email(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)

    response = answer(client, PASSWORD_QUESTION, ANSWER)

    assert response.status_code == 302
    assert response.url == PASSWORD_SENT
    confirmation = html(client.get(PASSWORD_SENT))
    assert "Un mail de confirmation a été envoyé" in confirmation
    assert "fr-alert--success" in confirmation
    deliver_outbox()
    [message] = smtp_server.messages
    assert message["To"] == account.email
    assert message["Subject"] == "Réinitialisation de votre mot de passe"
    assert message["From"].addresses[0].display_name == (
        "Agence de Services et de Paiement (Validation)"
    )
    assert message["From"].addresses[0].addr_spec == "noreply@asp-public.fr"
    body = smtp_server.text_of(message)
    assert body.startswith("Bonjour,")
    assert "Cliquez ici pour réinitialiser votre mot de passe :" in body
    assert "Si vous n'êtes pas à l'origine de cette demande, merci de l'ignorer." in body
    assert "Agence de Services et de Paiement (ASP)" in body
    assert "INFORMATIONS CONFIDENTIELLES" in body
    assert reset_link_path(body).startswith("/mot-de-passe-oublie/jeton/")


def test_the_answer_is_compared_without_case_accents_or_extra_spaces(client, account):
    ask_password_reset(client, account.login)

    response = answer(client, PASSWORD_QUESTION, "  MILLE   deux cents ")

    assert response.url == PASSWORD_SENT


def test_the_reset_email_is_wiped_from_the_database_once_sent(
    client, account, smtp_server, deliver_outbox
):
    from apart.notifications.models import OutboundEmail

    ask_password_reset(client, account.login)
    answer(client, PASSWORD_QUESTION, ANSWER)
    deliver_outbox()

    row = OutboundEmail.objects.get(template="recovery/emails/password_reset")
    assert row.sensitive
    assert "jeton" not in row.body_text


def test_a_wrong_answer_says_so_and_sends_nothing(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)

    response = answer(client, PASSWORD_QUESTION, "Neuf cents")

    assert response.status_code == 200
    assert "La réponse secrète est incorrecte. Il vous reste 2 essais." in html(response)
    deliver_outbox()
    assert smtp_server.messages == []


def test_the_question_step_needs_step_one(client):
    response = client.get(PASSWORD_QUESTION)

    assert response.status_code == 302
    assert response.url == PASSWORD_START


def test_each_step_is_audited(client, account):
    ask_password_reset(client, account.login)
    answer(client, PASSWORD_QUESTION, "Neuf cents")
    answer(client, PASSWORD_QUESTION, ANSWER)

    actions = list(
        AuditEvent.objects.filter(action__startswith="recovery.")
        .order_by("id")
        .values_list("action", "account")
    )
    assert actions == [
        ("recovery.password.requested", account.pk),
        ("recovery.password.answer_failed", account.pk),
        ("recovery.password.answer_accepted", account.pk),
        ("recovery.token_issued", account.pk),
    ]
