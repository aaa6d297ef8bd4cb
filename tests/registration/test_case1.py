"""Guide, chapter 1, case 1: a new person creates the space of their establishment."""

import re

import pytest
from django.contrib.auth.hashers import check_password

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment
from apart.habilitations.models import Habilitation
from apart.registration.messages import REQUEST_SENT
from apart.registration.models import RegistrationRequest
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene
from tests.registration.journey import DONE, register

pytestmark = pytest.mark.django_db

CONFIDENTIAL_FR = "Ce message peut contenir des INFORMATIONS CONFIDENTIELLES"
CONFIDENTIAL_EN = "This message may contain CONFIDENTIAL INFORMATION"


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


def test_new_person_gets_the_request_sent_message(client):
    sirene = make_sirene()

    response = register(client, sirene.siret)

    assert response.status_code == 302
    assert response["Location"] == DONE
    page = client.get(DONE).content.decode()
    assert "Information" in page
    assert REQUEST_SENT.replace("'", "&#x27;") in page


def test_new_person_gets_an_account_a_space_and_a_pending_request(client):
    sirene = make_sirene(denomination="CLEAN DESK")

    register(client, sirene.siret)

    account = Account.objects.get(email="gerard.menuca@example.fr")
    assert account.login == "gerard.menuca"
    assert (account.last_name, account.first_name) == ("Menuça", "Gérard")
    assert account.phone == "+33612345678"
    assert account.must_change_password
    space = Establishment.objects.get(siret=sirene.siret)
    assert space.main_contact == account
    assert space.denomination == "CLEAN DESK"
    assert (space.street_number, space.street_number_extension) == ("12", "bis")
    assert (space.street_type, space.street_name) == ("Rue", "DE LA PAIX")
    assert (space.postal_code, space.city) == ("75002", "PARIS")
    assert space.email == "contact@clean-desk.fr"
    assert space.phone == "+33142685300"
    habilitation = Habilitation.objects.get(account=account)
    assert habilitation.status == Habilitation.Status.PENDING
    assert habilitation.application.code == "APART"
    assert list(habilitation.establishments.all()) == [space]


def test_the_typed_data_is_kept_for_the_agents(client):
    sirene = make_sirene()

    register(client, sirene.siret)

    snapshot = RegistrationRequest.objects.get()
    assert snapshot.outcome == RegistrationRequest.Outcome.NEW_ACCOUNT
    assert snapshot.siret == sirene.siret
    assert snapshot.prefilled_from_sirene
    assert (snapshot.last_name, snapshot.first_name) == ("Menuça", "Gérard")
    assert snapshot.secret_question == "Ma première voiture ?"
    assert snapshot.ip_address == "127.0.0.1"
    assert not snapshot.name_flagged
    assert snapshot.habilitation == Habilitation.objects.get()
    assert snapshot.establishment == Establishment.objects.get()


def test_audit_rows_are_written(client):
    sirene = make_sirene()

    register(client, sirene.siret)

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "account.created",
        "establishment.registered",
        "habilitation.requested",
        "registration.space_created",
    } <= actions


def test_the_two_credentials_emails_reach_the_smtp_server(client, smtp_server, deliver_outbox):
    sirene = make_sirene()
    register(client, sirene.siret)

    deliver_outbox()

    login_mail, password_mail = sorted(smtp_server.messages, key=lambda m: m["Subject"][0] != "I")
    assert login_mail["To"] == "gerard.menuca@example.fr"
    assert (
        login_mail["Subject"]
        == "Identifiant de connexion à l'Agence de Services et de Paiement (ASP)"
    )
    assert (
        password_mail["Subject"]
        == "Mot de passe de connexion à l'Agence de Services et de Paiement (ASP)"
    )
    login_text = smtp_server.text_of(login_mail).replace("\r\n", "\n")
    assert "Bonjour Gérard Menuça" in login_text
    assert "Voici votre identifiant de connexion:\n\ngerard.menuca\n" in login_text
    assert "ATTENTION, si votre demande concerne Activité Partielle" in login_text
    password_text = smtp_server.text_of(password_mail).replace("\r\n", "\n")
    assert password_text.startswith("Bonjour,")
    password = re.search(r"Voici votre nouveau mot de passe de connexion: \[(.+)\]", password_text)
    assert password is not None
    assert check_password(password.group(1), Account.objects.get().password)
    for fragment in (
        "Il doit être saisi sans les crochets [].",
        "Cordialement,",
        "ATTENTION :",
        "- si votre demande concerne Activité Partielle",
        "- IL EST IMPERATIF DE CONSERVER CET E-MAIL",
    ):
        assert fragment in password_text
    for text in (login_text, password_text):
        assert CONFIDENTIAL_FR in text
        assert CONFIDENTIAL_EN in text
