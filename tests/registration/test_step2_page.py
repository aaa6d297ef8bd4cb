"""Step 2: "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE", as displayed."""

import html
import re

import pytest
from django.test import override_settings

from apart.establishments.models import Establishment
from apart.registration import journey as session_state
from apart.registration.messages import STEP1_EXPIRED, STEP1_MISSING
from tests.registration.factories import make_sirene
from tests.registration.journey import STEP1, STEP2, register, submit_step1

pytestmark = pytest.mark.django_db

LABELS = (
    "Dénomination de l'établissement *",
    "N° de Siret",
    "Numéro de voie",
    "Extension de voie",
    "Libellé de la voie *",
    "Type de voie",
    "Complément d'adresse",
    "Code postal *",
    "Ville *",
    "Courriel établissement *",
    "Confirmer courriel établissement *",
    "Téléphone fixe *",
    "Fax",
    "Nom *",
    "Prénom *",
    "Téléphone *",
    "Courriel *",
    "Confirmer courriel *",
    "Question secrète *",
    "Réponse *",
    "Recopier le code ci-contre *",
)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def input_tag(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, name
    return match.group(0)


def test_page_shows_the_guide_texts(client):
    submit_step1(client, make_sirene().siret)

    page = text_of(client.get(STEP2))

    for text in (
        "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE",
        "Vos informations ont été renseignées, vous pouvez les modifier si besoin.",
        "Information établissement",
        "Compte utilisateur à créer",
        "Contrôle de sécurité :",
        "ENVOYER",
        "ANNULER",
        "Les champs grisés sont renseignés par défaut avec les informations connues par l'INSEE",
        "Les champs avec * sont à renseigner obligatoirement.",
    ):
        assert text in page
    labels = re.findall(r'<label class="fr-label" for="[^"]+">([^<]*)', page)
    for label in LABELS:
        assert label in labels, label


def test_fields_known_from_sirene_are_prefilled_and_greyed(client):
    sirene = make_sirene(denomination="CLEAN DESK", street_type="AV", street_name="FOCH")
    submit_step1(client, sirene.siret)

    page = client.get(STEP2).content.decode()

    for name, value in (
        ("denomination", "CLEAN DESK"),
        ("siret", sirene.siret),
        ("street_number", "12"),
        ("street_number_extension", "bis"),
        ("street_type", "Avenue"),
        ("street_name", "FOCH"),
        ("postal_code", "75002"),
        ("city", "PARIS"),
    ):
        tag = input_tag(page, name)
        assert f'value="{value}"' in tag
        assert "readonly" in tag
    assert page.count("apart-greyed") == 8
    # Unknown to SIRENE (empty): left for the person to type.
    assert "readonly" not in input_tag(page, "address_complement")
    assert "readonly" not in input_tag(page, "establishment_email")


def test_a_non_diffusible_establishment_prefills_only_siret_postal_code_and_city(client):
    sirene = make_sirene(diffusion="P", postal_code="69003", city="LYON")
    submit_step1(client, sirene.siret)

    page = client.get(STEP2).content.decode()

    assert "readonly" in input_tag(page, "siret")
    assert 'value="69003"' in input_tag(page, "postal_code")
    assert 'value="LYON"' in input_tag(page, "city")
    for name in ("denomination", "street_number", "street_name", "street_type"):
        tag = input_tag(page, name)
        assert "readonly" not in tag
        assert "value=" not in tag
    assert page.count("apart-greyed") == 3


def test_the_script_is_a_static_file_with_the_nonce_and_the_button_is_enabled(client):
    submit_step1(client, make_sirene().siret)

    response = client.get(STEP2)

    page = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'src="/static/registration/step2.js" nonce="{nonce}"' in page
    button = re.search(r'<button[^>]*id="registration-submit"[^>]*>', page).group(0)
    assert "disabled" not in button
    assert "<script>" not in page


def test_step_2_without_step_1_sends_back_to_step_1(client):
    response = client.get(STEP2)

    assert response.status_code == 302
    assert response["Location"] == STEP1
    assert STEP1_MISSING in text_of(client.get(STEP1))


def test_a_stale_step_1_sends_back_to_step_1(client):
    submit_step1(client, make_sirene().siret)

    with override_settings(APART_REGISTRATION_STEP1_MAX_AGE=-1):
        response = client.get(STEP2)

    assert response["Location"] == STEP1
    assert STEP1_EXPIRED in text_of(client.get(STEP1))
    assert session_state.STEP1_KEY not in client.session


def test_a_tampered_step_1_sends_back_to_step_1(client):
    submit_step1(client, make_sirene().siret)
    other = make_sirene().siret
    session = client.session
    token = session[session_state.STEP1_KEY]
    session[session_state.STEP1_KEY] = token.replace(token.split(":")[0], other)
    session.save()

    assert client.get(STEP2)["Location"] == STEP1


def test_tampered_greyed_fields_are_ignored(client):
    sirene = make_sirene(denomination="CLEAN DESK")
    submit_step1(client, sirene.siret)

    register_response = client.post(
        STEP2,
        {
            **_typed(),
            "denomination": "HACKED SA",
            "siret": "35600000000048",
            "street_name": "RUE DU PIRATE",
            "postal_code": "13001",
            "city": "MARSEILLE",
        },
    )

    assert register_response.status_code == 302
    space = Establishment.objects.get()
    assert space.siret == sirene.siret
    assert (space.denomination, space.street_name) == ("CLEAN DESK", "DE LA PAIX")
    assert (space.postal_code, space.city) == ("75002", "PARIS")


def test_editable_fields_are_taken_from_the_form(client):
    sirene = make_sirene(address_complement="")

    register(
        client,
        sirene.siret,
        {**_typed(), "address_complement": "Bâtiment B", "fax": "01 42 68 53 01"},
    )

    space = Establishment.objects.get()
    assert space.address_complement == "Bâtiment B"
    assert space.fax == "+33142685301"


def _typed() -> dict[str, str]:
    from tests.registration.factories import establishment, person

    return {**establishment(), **person(), "captcha_0": "x", "captcha_1": "PASSED-TEST"}
