"""The helpdesk exports all the data held on one person (RGPD right of access), audited."""

import json

import pytest
from django.urls import reverse

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from tests.habilitations.factories import make_agent
from tests.space.factories import employer_with_establishments

pytestmark = pytest.mark.django_db

CHECKS = "Rappel au numéro fixe de l'établissement, identité confirmée"


@pytest.fixture
def helpdesk(client):
    agent = make_agent(role=Account.Role.ASSISTANCE)
    client.force_login(agent)
    return agent


def _export(client, account, checks=CHECKS):
    page = reverse("backoffice:account", args=[account.pk])
    client.get(page)
    url = reverse("backoffice:export_personal_data", args=[account.pk])
    return client.post(url, {"export_personal_data-checks": checks})


def test_the_account_page_offers_the_export(client, helpdesk):
    holder = employer_with_establishments()

    html = client.get(reverse("backoffice:account", args=[holder.pk])).content.decode()

    assert "Exporter les données personnelles (JSON)" in html


def test_the_export_is_a_json_download_of_everything_held(client, helpdesk):
    holder = employer_with_establishments(2)

    response = _export(client, holder)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["compte"]["login"] == holder.login
    assert data["compte"]["email"] == holder.email
    assert len(data["etablissements"]) == 2
    assert data["habilitations"][0]["application"] == "APART"
    assert any(event["action"] == "account.created" for event in data["journal"])


def test_the_export_holds_no_secret(client, helpdesk):
    holder = employer_with_establishments()

    body = _export(client, holder).content.decode()

    assert holder.password not in body
    assert holder.secret_answer_hash not in body
    assert "argon2" not in body


def test_the_export_is_audited_with_the_checks_made(client, helpdesk):
    holder = employer_with_establishments()

    _export(client, holder)

    event = AuditEvent.objects.get(action="privacy.personal_data_exported")
    assert (event.actor, event.account, event.reason) == (helpdesk, holder, CHECKS)


def test_the_export_needs_the_checks_made(client, helpdesk):
    holder = employer_with_establishments()

    response = _export(client, holder, checks="")

    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()
    assert not AuditEvent.objects.filter(action="privacy.personal_data_exported").exists()


def test_an_instructor_cannot_export(client):
    client.force_login(make_agent(role=Account.Role.INSTRUCTOR))
    holder = employer_with_establishments()

    assert _export(client, holder).status_code == 403
