"""A holder who lost every factor and recovery code: the helpdesk resets the second factor after
an identity check it records (questions asked, answers matched); the holder is emailed, every
session of the account ends, the audit row keeps the check."""

import html

import pytest
from django.test import Client

from apart.accounts.models import Account
from apart.accounts.services import set_secret_question
from apart.audit.models import AuditEvent
from apart.mfa.models import RecoveryCode, TotpDevice
from apart.mfa.services import regenerate_recovery_codes
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.habilitations.factories import make_agent
from tests.mfa.factories import enrol_totp, unused_code
from tests.mfa.helpers import log_in_with_code

pytestmark = pytest.mark.django_db

ANSWER = "Mille deux cents"


@pytest.fixture
def holder():
    account = make_active_account()
    set_secret_question(account=account, question="Ma cylindrée ?", answer=ANSWER)
    enrol_totp(account)
    regenerate_recovery_codes(account=account)
    return account


@pytest.fixture
def helpdesk(client):
    agent = make_agent(role=Account.Role.ASSISTANCE)
    client.force_login(agent)
    return agent


def _url(account):
    return f"/gestion/assistance/comptes/{account.pk}/reinitialiser-double-authentification/"


def _reset(client, account, **overrides):
    data = {
        "reset_second_factor-questions": ["login", "names", "phone", "secret_question"],
        "reset_second_factor-matched": ["login", "names", "phone"],
        "reset_second_factor-secret_answer": ANSWER,
        "reset_second_factor-checks": "Appel du 28/11, rappel au numéro du compte.",
    }
    data.update({f"reset_second_factor-{key}": value for key, value in overrides.items()})
    client.get(f"/gestion/assistance/comptes/{account.pk}/")
    return client.post(_url(account), data)


def test_the_reset_removes_every_factor_and_records_the_check(client, helpdesk, holder):
    response = _reset(client, holder)

    assert response.status_code == 302
    assert not TotpDevice.objects.filter(account=holder).exists()
    assert not RecoveryCode.objects.filter(account=holder).exists()
    event = AuditEvent.objects.get(action="mfa.factors_reset")
    assert event.actor == helpdesk and event.account == holder
    assert event.new_values == {
        "questions": ["login", "names", "phone", "secret_question"],
        "matched": ["login", "names", "phone", "secret_question"],
    }
    assert event.reason == "Appel du 28/11, rappel au numéro du compte."
    assert event.old_values["totp_devices"] == ["Téléphone"]


def test_the_holder_is_emailed(client, helpdesk, holder, smtp_server, deliver_outbox):
    _reset(client, holder)
    deliver_outbox()

    emails = smtp_server.to(holder.email)
    assert any("double authentification réinitialisée" in email["Subject"] for email in emails)


def test_every_session_of_the_holder_ends(client, helpdesk, holder):
    holder_browser = Client()
    log_in_with_code(holder_browser, holder.login, unused_code(holder))
    assert holder_browser.get("/espace/mon-compte/").status_code == 200

    _reset(client, holder)

    response = holder_browser.get("/espace/mon-compte/")
    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_a_wrong_secret_answer_refuses_the_reset_and_is_audited(client, helpdesk, holder):
    response = _reset(client, holder, secret_answer="Neuf cents")

    assert response.status_code == 200
    assert "Toutes les vérifications d'identité doivent concorder" in html.unescape(
        response.content.decode()
    )
    assert TotpDevice.objects.filter(account=holder).exists()
    refused = AuditEvent.objects.get(action="mfa.factors_reset_refused")
    assert refused.outcome == AuditEvent.Outcome.FAILURE
    assert "secret_question" not in refused.new_values["matched"]


def test_an_answer_that_did_not_match_refuses_the_reset(client, helpdesk, holder):
    response = _reset(client, holder, matched=["login", "names"])

    assert response.status_code == 200
    assert TotpDevice.objects.filter(account=holder).exists()


def test_fewer_than_three_questions_are_refused_next_to_the_field(client, helpdesk, holder):
    response = _reset(client, holder, questions=["login", "names"], matched=["login", "names"])

    assert "Posez au moins 3 questions d'identité." in html.unescape(response.content.decode())
    assert TotpDevice.objects.filter(account=holder).exists()


def test_an_instructor_cannot_reset(client, holder):
    client.force_login(make_agent(role=Account.Role.INSTRUCTOR))

    response = client.post(_url(holder), {})

    assert response.status_code == 403
    assert TotpDevice.objects.filter(account=holder).exists()


def test_an_assistance_agent_cannot_reset_another_agent(client, helpdesk):
    """Assistance sees employer accounts only: another agent is not found, and a forged POST
    (with a CSRF cookie from a page it may see) resets nothing."""
    other = make_agent(role=Account.Role.INSTRUCTOR, password=STRONG_PASSWORD)
    client.get("/gestion/assistance/")

    assert client.get(f"/gestion/assistance/comptes/{other.pk}/").status_code == 404
    response = client.post(
        _url(other),
        {
            "reset_second_factor-questions": ["login", "names", "phone"],
            "reset_second_factor-matched": ["login", "names", "phone"],
            "reset_second_factor-checks": "Appel du 28/11.",
        },
    )

    assert response.status_code == 404
    assert TotpDevice.objects.filter(account=other).exists()
