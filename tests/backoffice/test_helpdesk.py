"""Helpdesk (/gestion/assistance/): find an account, see it, act on it after recorded checks."""

import pytest
from django.test import Client
from django.urls import reverse

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.notifications.models import OutboundEmail
from tests.habilitations.factories import (
    make_account,
    make_agent,
    make_establishment,
    make_habilitation,
)

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-horse-1!"


@pytest.fixture
def helpdesk(client):
    agent = make_agent(role=Account.Role.ASSISTANCE)
    client.force_login(agent)
    return agent


@pytest.fixture
def holder():
    account = make_account(
        login="ilmen.foplus",
        first_name="Ilmen",
        last_name="Foplus",
        email="ilmen@exemple.fr",
        secret_question="Ma cylindrée ?",
        secret_answer_hash="argon2$dummy",
    )
    make_habilitation(account=account, establishment=make_establishment(siret="73282932000074"))
    return account


@pytest.mark.parametrize(
    "query", ["ilmen.foplus", "ILMEN@exemple.fr", "foplus", "732 829 320 00074"]
)
def test_an_account_is_found_by_login_email_name_or_siret(client, helpdesk, holder, query):
    html = client.get(reverse("backoffice:helpdesk"), {"q": query}).content.decode()

    assert reverse("backoffice:account", args=[holder.pk]) in html


def test_an_imported_sibling_siret_finds_its_account(client, helpdesk):
    account = make_account(login="sylae.user")
    make_habilitation(
        account=account,
        status="active",
        application_code="SYLAE",
        external_sirets=["55208131766522"],
    )

    html = client.get(reverse("backoffice:helpdesk"), {"q": "55208131766522"}).content.decode()

    assert "sylae.user" in html


def test_a_search_without_result_says_so(client, helpdesk):
    html = client.get(reverse("backoffice:helpdesk"), {"q": "personne"}).content.decode()

    assert "Aucun compte ne correspond à « personne »." in html


def test_an_overlong_search_is_refused_politely(client, helpdesk):
    response = client.get(reverse("backoffice:helpdesk"), {"q": "x" * 1000})

    assert response.status_code == 200
    assert "254 caractères au plus." in response.content.decode()


def test_the_account_page_shows_establishments_habilitations_emails_and_audit(
    client, helpdesk, holder
):
    OutboundEmail.objects.create(
        to=holder.email,
        subject="Identifiant de connexion à l'Agence de Services et de Paiement (ASP)",
        body_text="x",
        body_html="x",
        account=holder,
        template="registration/emails/login",
        message_id="<1@test>",
    )

    html = client.get(reverse("backoffice:account", args=[holder.pk])).content.decode()

    assert "73282932000074" in html
    assert "Activité Partielle" in html
    assert "Identifiant de connexion à l&#x27;Agence" in html
    assert "Question secrète : définie" in html
    assert "Ma cylindrée" not in html
    assert "argon2" not in html


def test_resending_the_login_email_needs_the_checks_and_records_them(client, helpdesk, holder):
    url = reverse("backoffice:account", args=[holder.pk])
    client.get(url)

    refused = client.post(reverse("backoffice:resend_login", args=[holder.pk]), {})
    client.post(
        reverse("backoffice:resend_login", args=[holder.pk]),
        {"resend_login-checks": "Rappel au standard de l'établissement"},
    )

    assert "Ce champ est obligatoire." in refused.content.decode()
    email = OutboundEmail.objects.get(account=holder)
    assert "ilmen.foplus" in email.body_text
    audit = AuditEvent.objects.get(action="helpdesk.login_email_resent")
    assert (audit.actor, audit.reason) == (helpdesk, "Rappel au standard de l'établissement")


def test_resetting_the_secret_question_clears_it_for_a_new_one_at_next_login(
    client, helpdesk, holder
):
    client.get(reverse("backoffice:account", args=[holder.pk]))

    client.post(
        reverse("backoffice:reset_secret_question", args=[holder.pk]),
        {"reset_secret_question-checks": "Pièce d'identité reçue par courrier"},
    )

    holder.refresh_from_db()
    assert (holder.secret_question, holder.secret_answer_hash) == ("", "")
    audit = AuditEvent.objects.get(action="helpdesk.secret_question_reset")
    assert audit.new_values == {"secret_question_set": False}
    assert "cylindrée" not in str(audit.old_values)


def test_unlocking_a_locked_account_lets_it_log_in_again(client, helpdesk, holder):
    holder.set_password(PASSWORD)
    holder.save()
    visitor = Client()
    for _ in range(6):
        visitor.post(reverse("accounts:login"), {"login": holder.login, "password": "mauvais"})
    html = client.get(reverse("backoffice:account", args=[holder.pk])).content.decode()
    assert "verrouillé jusqu" in html

    client.post(
        reverse("backoffice:unlock", args=[holder.pk]),
        {"unlock-checks": "Appel du titulaire, identité vérifiée"},
    )

    html = client.get(reverse("backoffice:account", args=[holder.pk])).content.decode()
    assert "non verrouillé" in html
    assert AuditEvent.objects.filter(action="helpdesk.account_unlocked").count() == 1


def test_agents_accounts_are_not_even_seen_by_the_assistance_role(client, helpdesk):
    other_agent = make_agent(role=Account.Role.ADMINISTRATOR)
    client.get(reverse("backoffice:helpdesk"))

    response = client.post(
        reverse("backoffice:reset_secret_question", args=[other_agent.pk]),
        {"reset_secret_question-checks": "test"},
    )

    assert response.status_code == 404
    assert client.get(reverse("backoffice:account", args=[other_agent.pk])).status_code == 404


def test_agents_accounts_are_not_managed_from_the_helpdesk(client):
    client.force_login(make_agent(role=Account.Role.ADMINISTRATOR))
    other_agent = make_agent(role=Account.Role.INSTRUCTOR)
    client.get(reverse("backoffice:account", args=[other_agent.pk]))

    response = client.post(
        reverse("backoffice:reset_secret_question", args=[other_agent.pk]),
        {"reset_secret_question-checks": "test"},
    )

    assert "Les comptes des agents ne se gèrent pas depuis l" in response.content.decode()


def test_the_account_audit_trail_exports_as_csv(client, helpdesk, holder):
    client.get(reverse("backoffice:account", args=[holder.pk]))
    client.post(
        reverse("backoffice:resend_login", args=[holder.pk]),
        {"resend_login-checks": "Rappel au standard"},
    )

    response = client.get(reverse("backoffice:account_audit_csv", args=[holder.pk]))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Disposition"] == 'attachment; filename="audit-compte-ilmen.foplus.csv"'
    assert "helpdesk.login_email_resent" in lines[1]
    assert "Rappel au standard" in lines[1]


def test_unfreezing_a_frozen_account_lets_it_log_in_again(client, helpdesk, holder):
    from apart.accounts.freezing import freeze_account

    holder.set_password(PASSWORD)
    holder.save()
    freeze_account(account=holder, reason="« Ce n'était pas moi ? »")
    html = client.get(reverse("backoffice:account", args=[holder.pk])).content.decode()
    assert "bloqué depuis le" in html

    client.get(reverse("backoffice:account", args=[holder.pk]))
    client.post(
        reverse("backoffice:unfreeze", args=[holder.pk]),
        {"unfreeze-checks": "Appel du titulaire, identité vérifiée"},
    )

    holder.refresh_from_db()
    assert holder.frozen_at is None
    visitor = Client()
    response = visitor.post(
        reverse("accounts:login"), {"login": holder.login, "password": PASSWORD}
    )
    assert "bloqué" not in response.content.decode()
    assert AuditEvent.objects.filter(action="account.unfrozen", actor=helpdesk).count() == 1


def test_unfreezing_an_account_that_is_not_frozen_says_so(client, helpdesk, holder):
    client.get(reverse("backoffice:account", args=[holder.pk]))
    response = client.post(
        reverse("backoffice:unfreeze", args=[holder.pk]),
        {"unfreeze-checks": "Appel du titulaire"},
    )

    assert "Ce compte n&#x27;est pas bloqué." in response.content.decode()
    assert not AuditEvent.objects.filter(action="account.unfrozen").exists()


def test_the_helpdesk_freezes_an_account_reported_taken_over(client, helpdesk, holder):
    from apart.accounts.models import AccountSession

    holder.set_password(PASSWORD)
    holder.save()
    AccountSession.objects.create(account=holder, session_key="x" * 32)
    client.get(reverse("backoffice:account", args=[holder.pk]))

    client.post(
        reverse("backoffice:freeze", args=[holder.pk]),
        {"freeze-checks": "Appel du titulaire : prise de contrôle signalée"},
    )

    holder.refresh_from_db()
    assert holder.frozen_at is not None
    assert not AccountSession.objects.filter(account=holder).exists()
    event = AuditEvent.objects.get(action="account.frozen", account=holder)
    assert event.actor == helpdesk
