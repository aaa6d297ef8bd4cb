"""Several users per establishment: invitations end to end, removal, main-contact hand-over."""

import re

import pytest

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment, Invitation
from apart.habilitations.models import Habilitation
from tests.space.factories import (
    employer_with_establishments,
    habilitate,
    log_in,
    make_employer,
    make_establishment,
)

pytestmark = pytest.mark.django_db

COLLEAGUE_EMAIL = "paul.collegue@clean-desk.fr"


@pytest.fixture
def owner():
    return employer_with_establishments(1)


@pytest.fixture
def establishment(owner):
    return Habilitation.objects.get(account=owner).establishments.get()


def _invite(client, owner, establishment, email=COLLEAGUE_EMAIL):
    log_in(client, owner, recent_auth=True)
    client.get(f"/espace/etablissements/{establishment.pk}/collegues/")
    return client.post(f"/espace/etablissements/{establishment.pk}/collegues/", {"email": email})


def _link(smtp_server, address):
    [message] = smtp_server.to(address)
    return re.search(r"https?://[^/\s]+(/invitation/[^/\s]+/)", smtp_server.text_of(message))[1]


def test_a_new_person_accepts_an_invitation_and_waits_for_the_agents(
    client, owner, establishment, smtp_server, deliver_outbox
):
    response = _invite(client, owner, establishment)
    assert response.status_code == 302
    deliver_outbox()
    path = _link(smtp_server, COLLEAGUE_EMAIL)
    client.post("/deconnexion/", {})

    invitation_page = client.get(path).content.decode()
    assert establishment.denomination in invitation_page
    form_path = path + "creer-mon-compte/"
    client.get(form_path)
    response = client.post(
        form_path,
        {
            "last_name": "Collègue",
            "first_name": "Paul",
            "phone": "06 12 34 56 78",
            "secret_question": "Ville de naissance ?",
            "secret_answer": "Brest",
        },
    )

    assert "Votre demande de création de compte a bien été transmise" in response.content.decode()
    colleague = Account.objects.get(email=COLLEAGUE_EMAIL)
    habilitation = Habilitation.objects.get(account=colleague)
    assert habilitation.status == Habilitation.Status.PENDING  # agents decide
    assert list(habilitation.establishments.all()) == [establishment]
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED
    deliver_outbox()
    subjects = [m["Subject"] for m in smtp_server.to(COLLEAGUE_EMAIL)]
    assert "Identifiant de connexion à l'Agence de Services et de Paiement (ASP)" in subjects
    assert len(subjects) == 3  # the invitation, the login, the password


def test_an_invitation_link_works_once(client, owner, establishment, smtp_server, deliver_outbox):
    _invite(client, owner, establishment)
    deliver_outbox()
    path = _link(smtp_server, COLLEAGUE_EMAIL)
    Invitation.objects.update(status=Invitation.Status.ACCEPTED, accepted_by=owner)

    response = client.get(path)

    assert response.status_code == 404
    assert "n'est plus valable" in response.content.decode()


def test_an_existing_account_logs_in_and_the_establishment_joins_its_habilitation(
    client, owner, establishment, smtp_server, deliver_outbox
):
    colleague = employer_with_establishments(1, email=COLLEAGUE_EMAIL)
    _invite(client, owner, establishment)
    deliver_outbox()
    path = _link(smtp_server, COLLEAGUE_EMAIL)
    client.post("/deconnexion/", {})

    log_in(client, colleague, recent_auth=True)
    client.get(path)
    response = client.post(path, {})

    assert response["Location"] == "/espace/"
    habilitation = Habilitation.objects.get(account=colleague)
    assert establishment in habilitation.establishments.all()
    assert client.get(f"/espace/etablissements/{establishment.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="establishment.invitation_accepted").exists()


def test_an_invitation_cannot_be_accepted_by_another_account(
    client, owner, establishment, smtp_server, deliver_outbox
):
    intruder = employer_with_establishments(1)
    _invite(client, owner, establishment)
    deliver_outbox()
    path = _link(smtp_server, COLLEAGUE_EMAIL)
    client.post("/deconnexion/", {})

    log_in(client, intruder, recent_auth=True)
    client.get(path)
    response = client.post(path, {})

    assert response.status_code == 400
    assert establishment not in Habilitation.objects.get(account=intruder).establishments.all()


def test_only_the_main_contact_invites(client, owner, establishment):
    colleague = make_employer()
    habilitate(colleague, establishment)

    response = _invite(client, colleague, establishment)

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_the_main_contact_removes_a_colleague(client, owner, establishment):
    colleague = make_employer()
    habilitate(colleague, establishment, make_establishment(main_contact=colleague))
    log_in(client, owner, recent_auth=True)
    client.get(f"/espace/etablissements/{establishment.pk}/collegues/")

    client.post(f"/espace/etablissements/{establishment.pk}/collegues/{colleague.pk}/retirer/", {})

    assert establishment not in Habilitation.objects.get(account=colleague).establishments.all()
    event = AuditEvent.objects.get(action="establishment.colleague_removed")
    assert event.account == colleague


def test_the_main_contact_cannot_remove_themself(client, owner, establishment):
    log_in(client, owner, recent_auth=True)
    client.get(f"/espace/etablissements/{establishment.pk}/collegues/")

    client.post(f"/espace/etablissements/{establishment.pk}/collegues/{owner.pk}/retirer/", {})

    assert establishment in Habilitation.objects.get(account=owner).establishments.all()


def test_the_main_contact_hands_the_role_over(
    client, owner, establishment, smtp_server, deliver_outbox
):
    colleague = make_employer()
    habilitate(colleague, establishment)
    log_in(client, owner, recent_auth=True)
    client.get(f"/espace/etablissements/{establishment.pk}/collegues/")

    client.post(
        f"/espace/etablissements/{establishment.pk}/collegues/{colleague.pk}/contact-principal/", {}
    )

    assert Establishment.objects.get(pk=establishment.pk).main_contact == colleague
    deliver_outbox()
    [message] = smtp_server.to(colleague.email)
    assert "contact principal" in message["Subject"]
    # The former main contact is now a colleague: they can no longer invite.
    response = client.post(
        f"/espace/etablissements/{establishment.pk}/collegues/", {"email": "x@exemple.fr"}
    )
    assert response.status_code == 400


def test_the_role_goes_only_to_someone_with_access(client, owner, establishment):
    outsider = make_employer()
    log_in(client, owner, recent_auth=True)
    client.get(f"/espace/etablissements/{establishment.pk}/collegues/")

    response = client.post(
        f"/espace/etablissements/{establishment.pk}/collegues/{outsider.pk}/contact-principal/", {}
    )

    assert response.status_code == 404
    assert Establishment.objects.get(pk=establishment.pk).main_contact == owner


def test_an_asp_account_without_apart_habilitation_gets_a_request_through_the_link(
    client, owner, establishment, smtp_server, deliver_outbox
):
    sibling_user = make_employer(email=COLLEAGUE_EMAIL)  # a Sylaé user: no APART habilitation
    _invite(client, owner, establishment)
    deliver_outbox()
    path = _link(smtp_server, COLLEAGUE_EMAIL)
    client.post("/deconnexion/", {})
    form_path = path + "creer-mon-compte/"
    client.get(form_path)

    client.post(
        form_path,
        {
            "last_name": "Collègue",
            "first_name": "Paul",
            "phone": "06 12 34 56 78",
            "secret_question": "Ville ?",
            "secret_answer": "Brest",
        },
    )

    habilitation = Habilitation.objects.get(account=sibling_user)
    assert habilitation.status == Habilitation.Status.PENDING
    assert list(habilitation.establishments.all()) == [establishment]
    assert Account.objects.filter(email=COLLEAGUE_EMAIL).count() == 1
    deliver_outbox()
    assert len(smtp_server.to(COLLEAGUE_EMAIL)) == 1  # the invitation only: no credentials
