"""Bank details with a history: a new version per change, changed by the main contact only,
the holder's name compared with the SIRENE denomination."""

import pytest
from django.test import Client

from apart.audit.models import AuditEvent
from apart.establishments.bank import holder_matches
from apart.establishments.models import BankDetailsVersion, EstablishmentFiche
from apart.habilitations.models import Habilitation
from tests.space.factories import (
    VALID_BIC,
    confirm_password,
    employer_with_establishments,
    habilitate,
    log_in,
    make_employer,
)

pytestmark = pytest.mark.django_db

BANK = {
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": VALID_BIC,
    "account_holder": "CLEAN DESK",
}
OTHER_BANK = {"iban": "FR14 2004 1010 0505 0001 3M02 606", "bic": "PSSTFRPPPAR"}


@pytest.fixture
def owner():
    return employer_with_establishments(1)


@pytest.fixture
def establishment(owner):
    return Habilitation.objects.get(account=owner).establishments.get()


def _post(client, establishment, data):
    return client.post(f"/espace/etablissements/{establishment.pk}/coordonnees-bancaires/", data)


def test_every_change_is_a_new_version_with_who_and_from_where(client, owner, establishment):
    log_in(client, owner)
    confirm_password(client)

    _post(client, establishment, BANK)
    _post(client, establishment, {**BANK, **OTHER_BANK})

    versions = list(BankDetailsVersion.objects.filter(establishment=establishment))
    assert [v.number for v in versions] == [2, 1]
    assert [v.iban for v in versions] == [
        "FR1420041010050500013M02606",
        "FR7630006000011234567890189",
    ]
    assert all(v.created_by == owner and v.ip_address == "127.0.0.1" for v in versions)
    fiche = EstablishmentFiche.objects.get(establishment=establishment)
    assert fiche.bank_version == versions[0]


def test_the_audit_holds_the_old_and_new_iban_masked_with_the_versions(
    client, owner, establishment
):
    log_in(client, owner)
    confirm_password(client)
    _post(client, establishment, BANK)

    _post(client, establishment, {**BANK, **OTHER_BANK})

    event = AuditEvent.objects.filter(action="establishment.bank_details_changed").latest("id")
    assert event.old_values["iban"] == "FR76 **** **** **** **** **** 189"
    assert event.new_values["iban"] == "FR14 **** **** **** **** **** 606"
    assert (event.old_values["version"], event.new_values["version"]) == (1, 2)
    assert event.ip_address == "127.0.0.1"


def test_a_colleague_who_is_not_the_main_contact_cannot_change_them(client, owner, establishment):
    colleague = make_employer()
    habilitate(colleague, establishment)
    log_in(client, colleague)
    confirm_password(client)

    response = _post(client, establishment, BANK)

    assert response.status_code == 302
    assert not BankDetailsVersion.objects.filter(establishment=establishment).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Seul le contact principal de l&#x27;établissement peut modifier" in page


def test_the_form_is_shown_to_the_main_contact_only(client, owner, establishment):
    colleague = make_employer()
    habilitate(colleague, establishment)
    log_in(client, colleague)
    confirm_password(client)

    page = client.get(f"/espace/etablissements/{establishment.pk}/").content.decode()

    assert "Enregistrer les coordonnées bancaires" not in page
    assert 'id="banque-contact-principal"' in page


def test_a_holder_unlike_the_sirene_denomination_is_flagged(client, owner, establishment):
    log_in(client, owner)
    confirm_password(client)

    _post(client, establishment, {**BANK, "account_holder": "Jean Dupont"})

    version = BankDetailsVersion.objects.get(establishment=establishment)
    assert version.holder_matches_sirene is False


@pytest.mark.parametrize(
    ("holder", "denomination"),
    [
        ("CLEAN DESK", "CLEAN DESK 001"),
        ("Clean-Desk SARL", "CLEAN DESK"),
        ("SAS Boulangerie Étoile", "BOULANGERIE ETOILE"),
        ("ETOILE BOULANGERIE", "Boulangerie de l'Étoile"),
        ("BOULANGERIE ETOILLE", "BOULANGERIE ETOILE"),
    ],
)
def test_the_holder_comparison_is_tolerant(holder, denomination):
    assert holder_matches(holder=holder, denomination=denomination)


@pytest.mark.parametrize(
    ("holder", "denomination"),
    [("JEAN DUPONT", "CLEAN DESK"), ("NEOBANK LTD", "BOULANGERIE ETOILE"), ("SARL", "CLEAN")],
)
def test_a_different_holder_does_not_match(holder, denomination):
    assert not holder_matches(holder=holder, denomination=denomination)


def test_without_a_recent_password_the_main_contact_is_asked_for_it_first(
    client, owner, establishment
):
    log_in(client, owner)

    page = client.get(f"/espace/etablissements/{establishment.pk}/").content.decode()
    response = _post(client, establishment, BANK)

    assert 'id="banque-confirmer"' in page
    assert "Enregistrer les coordonnées bancaires" not in page
    assert response.status_code == 302
    assert response["Location"].startswith("/confirmer-mon-identite/?next=")
    assert not BankDetailsVersion.objects.filter(establishment=establishment).exists()


def test_a_stolen_session_without_the_password_cannot_change_them(client, owner, establishment):
    client.force_login(owner)  # a session cookie, not the password

    _post(client, establishment, BANK)

    assert not BankDetailsVersion.objects.filter(establishment=establishment).exists()


def test_every_member_and_the_establishment_are_told_with_a_not_me_link(
    client, owner, establishment, smtp_server, deliver_outbox
):
    colleague = make_employer()
    habilitate(colleague, establishment)
    log_in(client, owner)
    confirm_password(client)

    _post(client, establishment, BANK)
    deliver_outbox()

    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == sorted([owner.email, colleague.email, establishment.email])
    text = smtp_server.text_of(smtp_server.messages[0])
    assert "Ce n'était pas moi ?" in text
    assert "FR76 **** **** **** **** **** 189" in text
    assert "FR7630006000011234567890189" not in text


def test_the_not_me_link_freezes_the_account_that_changed_them(
    client, owner, establishment, smtp_server, deliver_outbox
):
    log_in(client, owner)
    confirm_password(client)
    _post(client, establishment, BANK)
    deliver_outbox()
    text = smtp_server.text_of(smtp_server.messages[0])
    link = next(word for word in text.split() if "/ce-n-etait-pas-moi/" in word)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    other = Client(enforce_csrf_checks=True)
    page = other.get(path)
    token = page.context["csrf_token"]
    other.post(path, {"csrfmiddlewaretoken": str(token)})

    owner.refresh_from_db()
    assert owner.frozen_at is not None
