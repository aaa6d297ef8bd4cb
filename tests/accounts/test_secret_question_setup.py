"""After the assistance resets the secret question, the person chooses a new one at login."""

import pytest
from django.urls import reverse

from apart.accounts.services import check_secret_answer
from apart.audit.models import AuditEvent
from tests.accounts.factories import make_active_account
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db

SETUP = "/question-secrete/"


def _without_question():
    account = make_active_account()
    account.secret_question = ""
    account.secret_answer_hash = ""
    account.save()
    return account


def test_an_employer_without_secret_question_is_sent_to_choose_one(client):
    client.force_login(_without_question())

    response = client.get(reverse("space:dashboard"))

    assert response.status_code == 302
    assert response.url == SETUP


def test_the_new_question_is_stored_with_a_hashed_answer_and_audited(client):
    account = _without_question()
    client.force_login(account)
    client.get(SETUP)

    response = client.post(SETUP, {"question": "Ma première voiture ?", "answer": "Une 2CV"})

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.secret_question == "Ma première voiture ?"
    assert "2CV" not in account.secret_answer_hash
    assert check_secret_answer(account=account, answer="une  2cv")
    assert AuditEvent.objects.filter(account=account, action="account.secret_question_set").exists()
    again = client.get(reverse("space:dashboard"))
    assert getattr(again, "url", None) != SETUP


def test_an_empty_answer_is_refused_next_to_the_field(client):
    client.force_login(_without_question())
    client.get(SETUP)

    response = client.post(SETUP, {"question": "Ma première voiture ?", "answer": "   "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce champ est obligatoire." in html
    assert 'value="Ma première voiture ?"' in html


def test_agents_are_not_asked_for_a_secret_question(client):
    agent = make_agent(password="Agent-Mot2passe!")
    client.force_login(agent)

    response = client.get(reverse("backoffice:home"))

    assert response.status_code == 200
