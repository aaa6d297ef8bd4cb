"""APART_RECOVERY_SECRET_QUESTION off: step 1 sends the email at once (possession of the mailbox
remains required), still without revealing whether an account exists."""

import pytest

from tests.recovery.helpers import (
    LOGIN_SENT,
    PASSWORD_QUESTION,
    PASSWORD_SENT,
    PASSWORD_START,
    ask_login,
    ask_password_reset,
    reset_link_path,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_secret_question(settings):
    settings.APART_RECOVERY_SECRET_QUESTION = False


def test_the_login_sends_the_reset_link_at_once(client, account, smtp_server, deliver_outbox):
    response = ask_password_reset(client, account.login)

    assert response.url == PASSWORD_SENT
    deliver_outbox()
    [message] = smtp_server.messages
    assert reset_link_path(smtp_server.text_of(message))


def test_an_unknown_login_gets_the_same_answer_and_no_email(client, smtp_server, deliver_outbox):
    response = ask_password_reset(client, "personne.inconnue")

    assert response.url == PASSWORD_SENT
    deliver_outbox()
    assert smtp_server.messages == []


def test_the_email_sends_the_login_at_once(client, account, smtp_server, deliver_outbox):
    response = ask_login(client, account.email)

    assert response.url == LOGIN_SENT
    deliver_outbox()
    [message] = smtp_server.messages
    assert account.login in smtp_server.text_of(message)


def test_the_question_page_is_not_reachable(client, account):
    ask_password_reset(client, account.login)

    assert client.get(PASSWORD_QUESTION).url == PASSWORD_START
