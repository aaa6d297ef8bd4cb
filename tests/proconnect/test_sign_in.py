"""Signing in with a linked ProConnect identity: the same checks as the password login."""

import pytest

from apart.audit.models import AuditEvent
from apart.habilitations.gate import NONE
from apart.habilitations.models import Habilitation
from apart.proconnect.models import ProConnectIdentity
from tests.habilitations.factories import make_account, make_agent, make_habilitation
from tests.proconnect.flow import LOGIN, shown_messages, sign_in

pytestmark = pytest.mark.django_db


def link(account, provider, sub="sub-employeur-0001", email=None):
    return ProConnectIdentity.objects.create(
        account=account,
        issuer=provider.issuer,
        subject=sub,
        email=email or account.email,
        linked_by=ProConnectIdentity.LinkProof.PASSWORD,
    )


def habilitated_employer():
    return make_habilitation(status=Habilitation.Status.ACTIVE).account


def test_a_linked_habilitated_employer_reaches_the_space(client, provider):
    account = habilitated_employer()
    link(account, provider)

    response = sign_in(client, provider)

    assert response.status_code == 302
    assert response["Location"] == "/espace/"
    assert client.get("/espace/").status_code == 200


def test_the_login_is_audited_with_its_method(client, provider):
    account = habilitated_employer()
    link(account, provider)

    sign_in(client, provider)

    event = AuditEvent.objects.get(action="account.login", account=account)
    assert event.new_values == {"method": "proconnect"}
    assert ProConnectIdentity.objects.get(account=account).last_login_at is not None


def test_a_linked_employer_without_habilitation_gets_the_guide_message(client, provider):
    account = make_account()
    link(account, provider)

    response = sign_in(client, provider)

    assert response["Location"] == LOGIN
    page = shown_messages(client, response)
    assert NONE.replace("'", "&#x27;") in page
    assert "Connexion" in page  # the password login is still offered
    assert client.get("/espace/").status_code == 302
    failure = AuditEvent.objects.get(action="proconnect.login_failed")
    assert failure.account == account
    assert failure.reason == f"refused:{NONE[:150]}"


def test_a_linked_agent_reaches_the_back_office(client, provider):
    agent = make_agent(email="agnes@asp.fr")
    provider.user = {**provider.user, "email": "agnes@asp.fr"}
    provider.acr = "eidas2"  # the provider checked a second factor (else APART's own is asked)
    link(agent, provider)

    response = sign_in(client, provider)

    assert response["Location"] == "/gestion/"


def test_an_agent_outside_the_allowed_domains_is_refused(client, provider):
    agent = make_agent(email="agnes@exemple.com")
    provider.user = {**provider.user, "email": "agnes@exemple.com"}
    link(agent, provider)

    response = sign_in(client, provider)

    assert response["Location"] == LOGIN
    assert "ne permet pas à un agent" in shown_messages(client, response)
    assert AuditEvent.objects.filter(
        action="proconnect.login_failed", reason="agent_domain_refused"
    ).exists()
    assert not AuditEvent.objects.filter(action="account.login").exists()


def test_a_frozen_account_is_refused(client, provider):
    from django.utils import timezone

    account = habilitated_employer()
    link(account, provider)
    account.frozen_at = timezone.now()
    account.save(update_fields=["frozen_at"])

    response = sign_in(client, provider)

    assert response["Location"] == LOGIN
    assert "Votre compte est bloqué par mesure de sécurité" in shown_messages(client, response)
    assert not AuditEvent.objects.filter(action="account.login").exists()
