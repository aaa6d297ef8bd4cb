"""Bank details with a history: a new version per change, changed by the main contact only,
the holder's name compared with the SIRENE denomination."""

import pytest

from apart.audit.models import AuditEvent
from apart.establishments.bank import holder_matches
from apart.establishments.models import BankDetailsVersion, EstablishmentFiche
from apart.habilitations.models import Habilitation
from tests.space.factories import (
    VALID_BIC,
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

    response = _post(client, establishment, BANK)

    assert response.status_code == 302
    assert not BankDetailsVersion.objects.filter(establishment=establishment).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Seul le contact principal de l&#x27;établissement peut modifier" in page


def test_the_form_is_shown_to_the_main_contact_only(client, owner, establishment):
    colleague = make_employer()
    habilitate(colleague, establishment)
    log_in(client, colleague)

    page = client.get(f"/espace/etablissements/{establishment.pk}/").content.decode()

    assert "Enregistrer les coordonnées bancaires" not in page
    assert 'id="banque-contact-principal"' in page


def test_a_holder_unlike_the_sirene_denomination_is_flagged(client, owner, establishment):
    log_in(client, owner)

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
