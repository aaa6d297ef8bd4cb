"""« Ce n'était pas moi ? »: the link of a sensitive-change email freezes the account."""

import re

import pytest

from apart.accounts.freezing import freeze_account, notify_sensitive_change, unfreeze_account
from apart.accounts.models import Account, NotMeLink
from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import shown_messages, submit_login
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db

PROTECTED = "/changement-mot-de-passe/"
CHANGE = "la modification de votre numéro de téléphone"


@pytest.fixture
def account():
    return make_active_account(first_name="Ilmen", last_name="Foplus", email="ilmen@exemple.fr")


def _notify_and_read_link(account, smtp_server, deliver_outbox, recipients=("ilmen@exemple.fr",)):
    notify_sensitive_change(account=account, change=CHANGE, recipients=list(recipients))
    deliver_outbox()
    message = smtp_server.messages[-1]
    text = smtp_server.text_of(message)
    return message, re.search(r"http://\S+/ce-n-etait-pas-moi/\S+/", text).group(0)


def _path(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_email_names_the_change_and_offers_the_link(account, smtp_server, deliver_outbox):
    message, url = _notify_and_read_link(account, smtp_server, deliver_outbox)

    assert message["To"] == "ilmen@exemple.fr"
    text = smtp_server.text_of(message)
    assert CHANGE in text
    assert "Ce n'était pas moi ?" in text
    assert url
    # Only a hash of the token is stored.
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert not NotMeLink.objects.filter(token_hash=token).exists()


def test_one_email_per_recipient(account, smtp_server, deliver_outbox):
    notify_sensitive_change(
        account=account, change=CHANGE, recipients=["ilmen@exemple.fr", "nouveau@exemple.fr"]
    )
    deliver_outbox()

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "ilmen@exemple.fr",
        "nouveau@exemple.fr",
    ]


def test_opening_the_link_only_asks_for_confirmation(client, account, smtp_server, deliver_outbox):
    _, url = _notify_and_read_link(account, smtp_server, deliver_outbox)

    response = client.get(_path(url))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bloquer le compte" in html
    assert "ilmen" not in html.lower()  # nothing about the account
    account.refresh_from_db()
    assert account.frozen_at is None


def test_confirming_freezes_the_account_and_ends_its_sessions(
    client, account, smtp_server, deliver_outbox
):
    victim_browser = type(client)()
    submit_login(victim_browser, account.login, STRONG_PASSWORD)
    _, url = _notify_and_read_link(account, smtp_server, deliver_outbox)

    client.get(_path(url))
    response = client.post(_path(url), {})

    assert "Le compte est bloqué" in response.content.decode()
    account.refresh_from_db()
    assert account.frozen_at is not None
    assert victim_browser.get(PROTECTED).status_code == 302
    assert AuditEvent.objects.filter(action="account.frozen", account=account).exists()


def test_the_address_that_used_the_link_is_told(client, account, smtp_server, deliver_outbox):
    _, url = _notify_and_read_link(account, smtp_server, deliver_outbox)
    client.get(_path(url))
    client.post(_path(url), {})

    deliver_outbox()

    last = smtp_server.messages[-1]
    assert last["To"] == "ilmen@exemple.fr"
    assert last["Subject"] == "Votre compte est bloqué"


def test_the_link_works_once(client, account, smtp_server, deliver_outbox):
    _, url = _notify_and_read_link(account, smtp_server, deliver_outbox)
    client.get(_path(url))
    client.post(_path(url), {})

    response = client.post(_path(url), {})

    assert response.status_code == 404
    assert "Ce lien n'est plus valable" in response.content.decode()
    assert AuditEvent.objects.filter(action="account.frozen", account=account).count() == 1


def test_an_unknown_link_says_nothing(client):
    response = client.get("/ce-n-etait-pas-moi/n-importe-quoi/")

    assert response.status_code == 404
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_an_expired_link_no_longer_freezes(client, account, smtp_server, deliver_outbox):
    _, url = _notify_and_read_link(account, smtp_server, deliver_outbox)
    link = NotMeLink.objects.get(account=account)
    NotMeLink.objects.filter(pk=link.pk).update(
        created_at=link.created_at.replace(year=2020), expires_at=link.created_at.replace(year=2021)
    )

    assert client.get(_path(url)).status_code == 404
    account.refresh_from_db()
    assert account.frozen_at is None


def test_a_frozen_account_cannot_log_in_and_is_given_the_assistance_number(client, account):
    freeze_account(account=account, reason="test")

    response = submit_login(client, account.login, STRONG_PASSWORD)

    html = response.content.decode()
    assert "Votre compte est bloqué par mesure de sécurité" in html
    assert "0800.705.800" in html
    assert AuditEvent.objects.filter(
        action="account.login_failed", account=account, reason="frozen"
    ).exists()


def test_a_session_of_a_frozen_account_ends_at_its_next_request(client, account):
    submit_login(client, account.login, STRONG_PASSWORD)
    assert client.get(PROTECTED).status_code == 200
    # Frozen behind the index's back (the next request must still notice).
    Account.objects.filter(pk=account.pk).update(frozen_at="2026-01-01T00:00:00Z")

    response = client.get(PROTECTED)

    assert response.url == "/connexion/"
    assert "Votre compte est bloqué" in shown_messages(response)[0]


def test_the_helpdesk_unfreezes_and_the_holder_logs_in_again(client, account):
    freeze_account(account=account, reason="test")
    agent = make_agent(role=Account.Role.ASSISTANCE)

    unfreeze_account(account=account, actor=agent, checks="Identité vérifiée par téléphone")

    response = submit_login(client, account.login, STRONG_PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="account.unfrozen", account=account)
    assert event.actor == agent
    assert event.reason == "Identité vérifiée par téléphone"
