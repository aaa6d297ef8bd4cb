"""The guide's non-blocking check: "le prénom et le nom font l'objet de contrôles non bloquants".
A name like a title or a company is shown back with "Merci de saisir votre état civil
uniquement." beside Nom and Prénom, everything typed kept, the captcha not asked again; a second
ENVOYER sends."""

import datetime
import html
import re

import pytest
import time_machine
from django.test import Client

from apart.establishments.models import Establishment
from apart.registration.models import RegistrationRequest
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import DONE, STEP2, submit_step1, submit_step2

pytestmark = pytest.mark.django_db

CIVIL_STATUS = "Merci de saisir votre état civil uniquement."
WRONG_CAPTCHA = {"captcha_0": "unused", "captcha_1": "faux"}


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


def _first_envoyer(client, **names: str):
    submit_step1(client, make_sirene().siret)
    return submit_step2(client, {**establishment(), **person(**names)})


def _hidden(response, name: str) -> str:
    page = response.content.decode()
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    return html.unescape(match.group(1))


def _second_envoyer(client, first, **changes: str):
    """ENVOYER again on the page shown: what it holds (hidden fields included), no captcha typed."""
    data = {
        **establishment(),
        **person(last_name="Gérant", first_name="Monsieur"),
        "captcha_proof": _hidden(first, "captcha_proof"),
        "civil_status_seen": _hidden(first, "civil_status_seen"),
        **changes,
    }
    return client.post(STEP2, data)


def test_the_warning_is_shown_beside_nom_and_prenom_and_is_no_error(client):
    response = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for field in ("last_name", "first_name"):
        warning = re.search(
            rf'<p class="fr-message fr-message--warning" id="id_{field}-desc-warning">(.*?)</p>',
            page,
        )
        assert warning and warning.group(1) == CIVIL_STATUS
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page).group(0)
        assert f"id_{field}-desc-warning" in tag
    assert "fr-error-text" not in page
    assert "Le formulaire comporte des erreurs" not in page
    assert not Establishment.objects.exists()


def test_everything_typed_is_kept_and_the_captcha_is_not_asked_again(client):
    response = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    page = html.unescape(response.content.decode())
    for value in ("Gérant", "Monsieur", "06 12 34 56 78", "gerard.menuca@example.fr", "Cylindrée"):
        assert f'value="{value}"' in page
    assert 'name="captcha_1"' not in page
    assert "Contrôle de sécurité validé" in page


def test_a_second_envoyer_sends_the_request(client):
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    response = _second_envoyer(client, first)

    assert response.status_code == 302
    assert response["Location"] == DONE
    request = RegistrationRequest.objects.get()
    assert request.name_flagged
    assert (request.last_name, request.first_name) == ("Gérant", "Monsieur")


def test_a_name_changed_into_another_title_is_questioned_again(client):
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    response = _second_envoyer(client, first, first_name="Madame")

    assert response.status_code == 200
    assert CIVIL_STATUS in html.unescape(response.content.decode())
    assert not RegistrationRequest.objects.exists()


def test_a_corrected_name_sends_without_question(client):
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    response = _second_envoyer(client, first, last_name="Menuça", first_name="Gérard")

    assert response.status_code == 302
    assert not RegistrationRequest.objects.get().name_flagged


def test_the_captcha_is_asked_when_the_first_envoyer_had_a_wrong_captcha(client):
    submit_step1(client, make_sirene().siret)
    client.get(STEP2)
    data = {**establishment(), **person(last_name="Gérant"), **WRONG_CAPTCHA}

    response = client.post(STEP2, data)

    page = html.unescape(response.content.decode())
    assert "Le captcha n'a pas été entré correctement" in page
    assert 'name="captcha_proof"' not in page
    assert CIVIL_STATUS in page  # the warning is shown as well, so the next ENVOYER sends


def test_the_proof_of_the_captcha_is_single_use(client):
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")
    proof = _hidden(first, "captcha_proof")
    # The next ENVOYER has another error: the proof is spent, the captcha is asked again.
    _second_envoyer(client, first, phone="12")

    response = _second_envoyer(client, first, captcha_proof=proof)

    assert response.status_code == 200
    assert "Le captcha n'a pas été entré correctement" in html.unescape(response.content.decode())
    assert not RegistrationRequest.objects.exists()


def test_the_proof_of_the_captcha_expires(client, settings):
    settings.APART_CAPTCHA_PROOF_SECONDS = 600
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")

    with time_machine.travel(datetime.timedelta(minutes=11)):
        response = _second_envoyer(client, first)

    assert response.status_code == 200
    assert not RegistrationRequest.objects.exists()


def test_an_attacker_cannot_use_a_proof_from_another_session(client):
    first = _first_envoyer(client, last_name="Gérant", first_name="Monsieur")
    attacker = Client()
    submit_step1(attacker, make_sirene().siret)
    attacker.get(STEP2)

    response = attacker.post(
        STEP2,
        {
            **establishment(),
            **person(last_name="Gérant", first_name="Monsieur"),
            "captcha_proof": _hidden(first, "captcha_proof"),
            "civil_status_seen": _hidden(first, "civil_status_seen"),
        },
    )

    assert response.status_code == 200
    assert "Le captcha n'a pas été entré correctement" in html.unescape(response.content.decode())
    assert not RegistrationRequest.objects.exists()
