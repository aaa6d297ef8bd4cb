"""An administrator cannot read a confidential email in the admin (temporary password, reset or
confirmation link), queued or sent; once sent its body is gone from the database."""

import re

import pytest

from apart.accounts.models import Account
from apart.notifications.models import WIPED_BODY, OutboundEmail
from tests.accounts.test_admin import agent, log_in_agent
from tests.conftest import CsrfClient
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene
from tests.registration.journey import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_password() -> tuple[OutboundEmail, str]:
    ensure_applications()
    register(CsrfClient(), make_sirene().siret)
    email = OutboundEmail.objects.get(template="registration/emails/password")
    password = re.search(r"mot de passe de connexion: \[(.+)\]", email.body_text)
    assert password is not None
    return email, password.group(1)


@pytest.fixture
def administrator(client):
    log_in_agent(client, agent(Account.Role.ADMINISTRATOR))
    return client


def test_a_queued_temporary_password_is_not_shown_in_the_admin(administrator, queued_password):
    email, password = queued_password
    assert email.sensitive and email.status == OutboundEmail.Status.QUEUED

    listing = administrator.get("/gestion/admin/notifications/outboundemail/")
    detail = administrator.get(f"/gestion/admin/notifications/outboundemail/{email.pk}/change/")

    assert detail.status_code == 200
    assert password not in listing.content.decode()
    assert password not in detail.content.decode()
    assert "Courriel confidentiel" in detail.content.decode()


def test_an_ordinary_email_is_readable_in_the_admin(administrator, queued_password):
    login_email = OutboundEmail.objects.get(template="registration/emails/login")
    assert not login_email.sensitive

    detail = administrator.get(
        f"/gestion/admin/notifications/outboundemail/{login_email.pk}/change/"
    )

    assert "Courriel confidentiel" not in detail.content.decode()


def test_once_sent_the_secret_is_gone_from_the_database(
    queued_password, smtp_server, deliver_outbox
):
    email, password = queued_password

    deliver_outbox()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.body_text == email.body_html == WIPED_BODY
    assert any(password in smtp_server.text_of(m) for m in smtp_server.messages)
