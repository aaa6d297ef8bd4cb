"""Attacks on the email-change links of "Mon compte": each link works once, only the newest
works, it expires, and an address left and set again does not revive its old link."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.space.models import EmailChangeRequest
from tests.space.factories import employer_with_establishments, log_in

pytestmark = pytest.mark.django_db

X = "adresse.x@exemple.fr"
Y = "adresse.y@exemple.fr"


@pytest.fixture
def account(client):
    account = employer_with_establishments(1)
    log_in(client, account, recent_auth=True)
    client.get("/espace/mon-compte/")
    return account


def _ask(client, email):
    client.post("/espace/mon-compte/courriel/", {"email": email, "email_confirm": email})


def _link(smtp_server, deliver_outbox, to):
    deliver_outbox()
    message = smtp_server.to(to)[-1]
    return re.search(
        r"https?://[^/\s]+(/espace/confirmer-courriel/[^/\s]+/)", smtp_server.text_of(message)
    )[1]


def _follow(client, link):
    """Open the link as a browser would (the page sets the CSRF cookie), then confirm."""
    client.get(link)
    if client.cookies.get("csrftoken") is None:
        client.get(reverse("accounts:login"))
    return client.post(link, {})


def _email(account):
    return Account.objects.get(pk=account.pk).email


def test_an_older_link_fails_after_a_newer_request(client, account, smtp_server, deliver_outbox):
    original = account.email
    _ask(client, X)
    old_link = _link(smtp_server, deliver_outbox, X)
    _ask(client, Y)

    client.logout()
    response = _follow(client, old_link)

    assert response.status_code == 400
    assert _email(account) == original
    assert not AuditEvent.objects.filter(action="account.email_changed").exists()


def test_the_newest_link_works(client, account, smtp_server, deliver_outbox):
    _ask(client, X)
    _ask(client, Y)
    newest = _link(smtp_server, deliver_outbox, Y)

    _follow(client, newest)

    assert _email(account) == Y


def test_a_link_replayed_after_x_then_original_does_not_set_x_again(
    client, account, smtp_server, deliver_outbox
):
    original = account.email
    _ask(client, X)
    link_to_x = _link(smtp_server, deliver_outbox, X)
    _follow(client, link_to_x)
    assert _email(account) == X
    # Back to the original address, through its own link.
    _ask(client, original)
    _follow(client, _link(smtp_server, deliver_outbox, original))
    assert _email(account) == original

    client.logout()  # the attacker holds only the old mail to X
    response = _follow(client, link_to_x)

    assert response.status_code == 400
    assert _email(account) == original
    assert AuditEvent.objects.filter(action="account.email_changed").count() == 2


def test_a_link_works_once(client, account, smtp_server, deliver_outbox):
    _ask(client, X)
    link = _link(smtp_server, deliver_outbox, X)
    _follow(client, link)

    response = _follow(client, link)

    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="account.email_changed").count() == 1


def test_an_expired_link_fails(client, account, smtp_server, deliver_outbox):
    original = account.email
    _ask(client, X)
    link = _link(smtp_server, deliver_outbox, X)
    EmailChangeRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = _follow(client, link)

    assert response.status_code == 400
    assert _email(account) == original


def test_the_nonce_is_stored_hashed(client, account, smtp_server, deliver_outbox):
    _ask(client, X)
    link = _link(smtp_server, deliver_outbox, X)
    token = link.rstrip("/").rsplit("/", 1)[1]

    stored = EmailChangeRequest.objects.get(account=account)

    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
