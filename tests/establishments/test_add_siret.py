"""« DEMANDE CRÉATION DE COMPTE » while logged in: the guide's case 2, authenticated."""

import io

import pytest
from django.core.management import call_command

from apart.directory.demo.samples import (
    DEMO_CLOSED_SIRET,
    DEMO_SECONDARY_SIRET,
    DEMO_UNKNOWN_SIRET,
)
from apart.establishments.models import Establishment
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.notifications.models import OutboundEmail
from tests.space.factories import employer_with_establishments, log_in

pytestmark = pytest.mark.django_db

DETAILS = {
    "establishment_email": "lyon@tilleuls.fr",
    "establishment_email_confirm": "lyon@tilleuls.fr",
    "establishment_phone": "04 72 00 00 00",
    "fax": "",
}


@pytest.fixture(autouse=True)
def _directory():
    call_command("load_demo_data", stdout=io.StringIO())


@pytest.fixture
def owner(client):
    account = employer_with_establishments(1)
    log_in(client, account)
    return account


def _type_siret(client, siret):
    client.get("/espace/etablissements/ajouter/")
    return client.post("/espace/etablissements/ajouter/", {"siret": siret})


def test_a_second_siret_becomes_a_request_that_grants_nothing(client, owner):
    response = _type_siret(client, DEMO_SECONDARY_SIRET)
    assert response["Location"] == "/espace/etablissements/ajouter/informations/"
    step2 = client.get(response["Location"]).content.decode()
    assert "readonly" in step2  # SIRENE's values are greyed

    response = client.post("/espace/etablissements/ajouter/informations/", DETAILS)

    establishment = Establishment.objects.get(siret=DEMO_SECONDARY_SIRET)
    assert response["Location"] == "/espace/etablissements/"
    assert establishment.main_contact == owner
    assert establishment.postal_code == "69003"
    assert establishment.email == "lyon@tilleuls.fr"
    habilitation = Habilitation.objects.get(account=owner)
    assert habilitation.establishments.count() == 1  # not attached before an agent decides
    attachment = AttachmentRequest.objects.get()
    assert (attachment.habilitation, attachment.status) == (habilitation, "pending")
    listing = client.get("/espace/etablissements/").content.decode()
    assert "en attente de validation" in listing
    assert f"/espace/etablissements/{establishment.pk}/" not in listing
    assert DEMO_SECONDARY_SIRET not in client.get("/espace/").content.decode()
    assert client.get(f"/espace/etablissements/{establishment.pk}/").status_code == 404
    assert not OutboundEmail.objects.exists()


def test_a_siret_with_a_space_already_is_refused_at_step_1(client, owner):
    existing = Habilitation.objects.get(account=owner).establishments.get()

    response = _type_siret(client, existing.siret)

    assert response.status_code == 400
    assert "Un espace existe déjà pour cet établissement" in response.content.decode()


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        (DEMO_UNKNOWN_SIRET, "inconnu du répertoire SIRENE"),
        (DEMO_CLOSED_SIRET, "Cet établissement est fermé"),
        ("1234", "14"),
    ],
)
def test_step_1_controls_of_registration_apply(client, owner, siret, message):
    response = _type_siret(client, siret)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-describedby="id_siret-desc-error"' in response.content.decode()


def test_step_2_needs_step_1(client, owner):
    response = client.get("/espace/etablissements/ajouter/informations/")

    assert response["Location"] == "/espace/etablissements/ajouter/"


def test_typing_sirets_is_rate_limited_per_account(client, owner, settings):
    settings.APART_ADD_SIRET_PER_HOUR = 2
    _type_siret(client, DEMO_UNKNOWN_SIRET)
    _type_siret(client, DEMO_UNKNOWN_SIRET)

    response = _type_siret(client, DEMO_SECONDARY_SIRET)

    assert response.status_code == 429
    assert not Establishment.objects.filter(siret=DEMO_SECONDARY_SIRET).exists()
