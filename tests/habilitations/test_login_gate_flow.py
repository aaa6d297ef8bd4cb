"""The gate through the real login page, and the habilitation email through a real SMTP server."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apart.habilitations.dates import PARIS, paris_today
from apart.habilitations.services import approve_habilitation
from tests.habilitations.factories import make_account, make_agent, make_habilitation
from tests.mfa.factories import unused_code

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-1!"


def _log_in(client, account):
    client.get(reverse("accounts:login"))
    return client.post(
        reverse("accounts:login"), {"login": account.login, "password": PASSWORD, "next": ""}
    )


def test_a_pending_request_is_refused_at_the_login_page(client):
    account = make_account(password=PASSWORD)
    make_habilitation(account=account)

    response = _log_in(client, account)

    assert "Votre demande d&#x27;habilitation est en cours de traitement." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_user_logs_in_from_the_start_date_not_before(client):
    account = make_account(password=PASSWORD)
    habilitation = make_habilitation(account=account)
    approve_habilitation(
        habilitation=habilitation, actor=make_agent(), start_date=datetime.date(2099, 3, 2)
    )

    with time_machine.travel(datetime.datetime(2099, 3, 1, 23, 59, tzinfo=PARIS), tick=False):
        before = _log_in(client, account)
    with time_machine.travel(datetime.datetime(2099, 3, 2, 0, 1, tzinfo=PARIS), tick=False):
        after = _log_in(client, account)
        assert "_auth_user_id" in client.session

    assert "vous pourrez vous connecter à compter du 02/03/2099." in before.content.decode()
    assert after.status_code == 302


def test_an_agent_logs_in_without_any_habilitation(client):
    agent = make_agent(password=PASSWORD)

    response = _log_in(client, agent)
    assert response.url == reverse("mfa:verify")
    response = client.post(reverse("mfa:verify"), {"code": unused_code(agent)})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(agent.pk)


def test_the_habilitation_email_reaches_the_users_mailbox(smtp_server, deliver_outbox):
    account = make_account(email="jean-christophe.martig@exemple.fr")
    habilitation = make_habilitation(account=account)

    approve_habilitation(habilitation=habilitation, actor=make_agent())
    deliver_outbox()

    [message] = smtp_server.messages
    assert message["To"] == "jean-christophe.martig@exemple.fr"
    assert message["Subject"] == "Habilitation à l'activité partielle"
    text = message.get_body(("plain",)).get_content()
    assert f"pourrez vous connecter à compter du {paris_today():%d/%m/%Y}" in text
    assert "0800.705.800 (n° Vert : services et appels gratuits)" in text
