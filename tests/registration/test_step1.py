"""Step 1: "Veuillez indiquer votre numéro de Siret"."""

import html

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from apart.directory.eligibility import UNKNOWN_SIRET
from apart.registration import journey as session_state
from tests.habilitations.factories import make_account, make_establishment
from tests.registration.factories import make_sirene, new_siret
from tests.registration.journey import CAPTCHA, STEP1, STEP2, submit_step1

pytestmark = pytest.mark.django_db


def errors_of(response) -> str:
    return html.unescape(response.content.decode())


def test_page_shows_the_guide_texts(client):
    page = errors_of(client.get(STEP1))

    for text in (
        "Veuillez indiquer votre numéro de Siret",
        "Veuillez saisir le numéro de Siret de l'établissement pour lequel vous demandez une "
        "création de compte :",
        "N° de Siret *",
        "Contrôle de sécurité :",
        "Recopier le code ci-contre *",
        "Afficher un autre code",
        "Je ne peux pas lire l'image : question en texte",
        "conditions générales d'utilisation</a>&nbsp;*",
        "VALIDER",
        "ANNULER",
    ):
        assert text in page or text in page.replace("\xa0", "&nbsp;")


def test_terms_link_opens_in_the_same_tab(client):
    page = client.get(STEP1).content.decode()

    terms = reverse("core:terms")
    assert f'<a href="{terms}">conditions générales d&#x27;utilisation</a>' in page or (
        f'<a href="{terms}">conditions générales d\'utilisation</a>' in page
    )
    assert 'target="_blank"' not in page


def test_cancel_goes_back_home(client):
    page = client.get(STEP1).content.decode()

    assert '<a class="fr-btn fr-btn--secondary" href="/">ANNULER</a>' in page


def test_a_valid_siret_leads_to_step_2(client):
    sirene = make_sirene()

    response = submit_step1(client, sirene.siret)

    assert response.status_code == 302
    assert response["Location"] == STEP2


def test_spaces_and_dots_in_the_siret_are_tolerated(client):
    sirene = make_sirene()
    s = sirene.siret

    response = submit_step1(client, f"{s[:3]} {s[3:6]}.{s[6:9]} {s[9:]}")

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Veuillez saisir le numéro de Siret de l'établissement."),
        ("1234", "Le numéro de Siret doit comporter 14 chiffres."),
        ("4437300008140A", "Le numéro de Siret ne doit contenir que des chiffres."),
        ("44373000081401", "Ce numéro de Siret n'est pas valide : vérifiez sa saisie."),
        ("1" * 500, "au plus 40 caractères"),
        ("443\x00730000814", "Ce champ contient des caractères non autorisés."),
    ],
)
def test_a_malformed_siret_is_refused_in_clear_french(client, typed, message):
    response = submit_step1(client, typed)

    assert response.status_code == 200
    assert message in errors_of(response)
    assert "fr-input-group--error" in response.content.decode()


def test_the_error_is_tied_to_the_field(client):
    response = submit_step1(client, "1234")

    page = response.content.decode()
    assert 'aria-describedby="id_siret-desc-error"' in page
    assert '<div id="id_siret-desc-error"><p class="fr-error-text">' in page


def test_a_siret_unknown_to_sirene_is_refused(client):
    response = submit_step1(client, new_siret())

    assert UNKNOWN_SIRET in errors_of(response)


def test_a_closed_establishment_is_refused(client):
    sirene = make_sirene(state="F")

    response = submit_step1(client, sirene.siret)

    assert "Cet établissement est fermé dans le répertoire SIRENE : " in errors_of(response)


def test_an_establishment_with_a_space_is_refused_without_disclosing_its_holder(client):
    holder = make_account(first_name="Ilmen", last_name="Foplus", email="ilmen@foplus.fr")
    sirene = make_sirene()
    make_establishment(siret=sirene.siret, main_contact=holder)

    response = submit_step1(client, sirene.siret)

    page = errors_of(response)
    assert "Un espace existe déjà pour cet établissement" in page
    assert "adressez-vous à la personne en charge de cet espace dans votre entreprise" in page
    assert "0800.705.800" in page
    assert "08h00 à 18h00" in page
    for secret in ("Ilmen", "Foplus", "ilmen@foplus.fr", holder.login):
        assert secret not in page
    assert session_state.STEP1_KEY not in client.session


def test_the_terms_must_be_accepted(client):
    sirene = make_sirene()
    client.get(STEP1)

    response = client.post(STEP1, {"siret": sirene.siret, **CAPTCHA})

    assert "Vous devez accepter les conditions générales d'utilisation." in errors_of(response)


def test_a_wrong_captcha_is_refused_and_the_siret_kept(client):
    sirene = make_sirene()
    client.get(STEP1)

    response = client.post(
        STEP1,
        {"siret": sirene.siret, "accept_terms": "on", "captcha_0": "x", "captcha_1": "wrong"},
    )

    page = errors_of(response)
    assert "Le captcha n'a pas été entré correctement. Essayez à nouveau." in page
    assert f'value="{sirene.siret}"' in page


def test_the_directory_is_not_consulted_without_a_right_captcha(client):
    holder_siret = make_sirene().siret
    make_establishment(siret=holder_siret)
    client.get(STEP1)

    response = client.post(
        STEP1, {"siret": holder_siret, "accept_terms": "on", "captcha_0": "x", "captcha_1": "no"}
    )

    assert "Un espace existe déjà" not in errors_of(response)


def test_asking_another_captcha_keeps_what_was_typed(client):
    client.get(STEP1)

    response = client.post(
        STEP1,
        {
            "siret": "4437 3000",
            "accept_terms": "on",
            "captcha_0": "x",
            "captcha_1": "",
            "captcha_switch": "operation",
        },
    )

    page = errors_of(response)
    assert 'value="4437 3000"' in page
    assert "Veuillez résoudre l'opération suivante *" in page
    assert "fr-error-text" not in page


def test_step_1_stores_a_signed_timestamped_siret(client):
    sirene = make_sirene()

    submit_step1(client, sirene.siret)

    token = client.session[session_state.STEP1_KEY]
    payload = signing.loads(token, salt="apart.registration.step1", max_age=60)
    assert payload == {"siret": sirene.siret}
    with pytest.raises(signing.BadSignature):
        signing.loads(token[:-2] + "xx", salt="apart.registration.step1")


@override_settings(APART_REGISTRATION_RATE_LIMIT=2)
def test_step_1_submissions_are_rate_limited_per_address(client):
    for _ in range(2):
        assert submit_step1(client, "1234").status_code == 200

    response = submit_step1(client, make_sirene().siret)

    assert response.status_code == 429
    assert "Trop de demandes ont été envoyées depuis votre connexion" in errors_of(response)
