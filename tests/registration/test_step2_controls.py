"""Step 2: the controls run on ENVOYER, each message shown under its field."""

import html
import re

import pytest

from apart.establishments.forms.details import ACCENTS_REMOVED
from apart.establishments.models import Establishment
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import DONE, submit_step1, submit_step2

pytestmark = pytest.mark.django_db

INVALID_PHONE = "Veuillez saisir un numéro valide."
INVALID_EMAIL = "L'adresse électronique est invalide."
CIVIL_STATUS = "Merci de saisir votre état civil uniquement."


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


def send(client, sirene=None, **typed: str):
    """Step 1 with a fresh SIRENE establishment, then step 2 with these values changed."""
    sirene = sirene or make_sirene()
    submit_step1(client, sirene.siret)
    return submit_step2(client, {**establishment(), **person(), **typed})


def errors(response) -> dict[str, list[str]]:
    """Field id -> the error messages shown under it."""
    page = html.unescape(response.content.decode())
    found = re.findall(r'<div id="id_(\w+)-desc-error">(.*?)</div>', page, flags=re.S)
    return {
        field: re.findall(r'<p class="fr-error-text">(.*?)</p>', block) for field, block in found
    }


def test_a_complete_form_registers(client):
    response = send(client)

    assert response.status_code == 302
    assert response["Location"] == DONE


@pytest.mark.parametrize(
    "field", ["last_name", "first_name", "phone", "email", "secret_question", "secret_answer"]
)
def test_mandatory_account_fields(client, field):
    response = send(client, **{field: ""})

    assert errors(response)[field] == ["Ce champ est obligatoire."]
    assert not Establishment.objects.exists()


@pytest.mark.parametrize("field", ["establishment_email", "establishment_phone"])
def test_mandatory_establishment_fields(client, field):
    response = send(client, **{field: ""})

    assert "Ce champ est obligatoire." in errors(response)[field]


def test_the_error_is_described_by_its_message(client):
    response = send(client, phone="12")

    page = response.content.decode()
    tag = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
    assert 'aria-describedby="id_phone-desc-error"' in tag
    assert "fr-input--error" in tag
    assert "fr-input-group--error" in page


@pytest.mark.parametrize("typed", ["12", "06 12 34", "abcdefghij", "+33 6 12 34 56 78 90 12"])
def test_an_invalid_phone_is_refused(client, typed):
    assert errors(send(client, phone=typed))["phone"] == [INVALID_PHONE]


def test_a_mobile_is_not_a_landline(client):
    response = send(client, **establishment(establishment_phone="06 12 34 56 78"))

    assert errors(response)["establishment_phone"] == [INVALID_PHONE]


@pytest.mark.parametrize("typed", ["09 70 12 34 56", "01 42 68 53 00", "+33 5 56 00 00 00"])
def test_landlines_and_09_numbers_are_accepted(client, typed):
    assert send(client, establishment_phone=typed).status_code == 302


def test_an_overseas_landline_matches_the_postal_code(client):
    sirene = make_sirene(postal_code="97110", city="POINTE-A-PITRE")

    response = send(client, sirene, establishment_phone="0590 12 34 56", phone="0690 12 34 56")

    assert response.status_code == 302
    assert Establishment.objects.get().phone == "+590590123456"


def test_an_overseas_landline_is_refused_for_a_metropolitan_establishment(client):
    response = send(client, establishment_phone="0590 12 34 56")

    assert errors(response)["establishment_phone"] == [INVALID_PHONE]


def test_a_metropolitan_landline_is_refused_for_an_overseas_establishment(client):
    sirene = make_sirene(postal_code="97410", city="SAINT-PIERRE")

    response = send(client, sirene, establishment_phone="01 42 68 53 00")

    assert errors(response)["establishment_phone"] == [INVALID_PHONE]


def test_an_invalid_fax_is_refused(client):
    assert errors(send(client, fax="123"))["fax"] == [INVALID_PHONE]


@pytest.mark.parametrize("typed", ["gerard", "gerard@", "@example.fr", "gé rard@exa mple.fr"])
def test_an_invalid_email_is_refused(client, typed):
    response = send(client, email=typed, email_confirm=typed)

    assert errors(response)["email"] == [INVALID_EMAIL]


def test_different_emails_are_refused_on_both_fields(client):
    response = send(client, email_confirm="autre@example.fr")

    message = "Les champs Courriel et Confirmer courriel de l'utilisateur ne sont pas identiques."
    assert errors(response)["email"] == [message]
    assert errors(response)["email_confirm"] == [message]


def test_different_establishment_emails_are_refused_on_both_fields(client):
    response = send(client, establishment_email_confirm="autre@clean-desk.fr")

    message = (
        "Les champs Courriel établissement et Confirmer courriel établissement ne sont pas "
        "identiques."
    )
    assert errors(response)["establishment_email"] == [message]
    assert errors(response)["establishment_email_confirm"] == [message]


def test_accents_are_removed_from_emails_visibly(client):
    response = send(
        client, email="gérard.menuça@example.fr", email_confirm="gérard.menuça@example.fr"
    )

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert ACCENTS_REMOVED == "Les accents ont été retirés de l'adresse électronique."
    assert page.count(str(ACCENTS_REMOVED)) == 3  # both fields, and the script's copy (data-)
    assert 'value="gerard.menuca@example.fr"' in page
    assert not Establishment.objects.exists()


def test_the_corrected_email_then_registers(client):
    send(client, email="gérard.menuça@example.fr", email_confirm="gérard.menuça@example.fr")

    response = submit_step2(client, {**establishment(), **person()})

    assert response.status_code == 302
    assert Establishment.objects.get().main_contact.email == "gerard.menuca@example.fr"


def test_upper_case_emails_are_lowered_silently(client):
    assert send(client, email="Gerard.Menuca@Example.FR").status_code == 302


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("last_name", "Dupont3"),
        ("first_name", "<script>"),
        ("last_name", "Du\x00pont"),
        ("secret_question", "Ma question\x07"),
        ("secret_answer", "réponse\x00"),
        ("establishment_email", "a\x00@b.fr"),
    ],
)
def test_forbidden_characters_are_refused(client, field, typed):
    response = send(client, **{field: typed})

    assert response.status_code == 200
    assert errors(response)[field] == ["Ce champ contient des caractères non autorisés."]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("last_name", 100), ("first_name", 100), ("secret_question", 200), ("email", 254)],
)
def test_over_long_values_are_refused(client, field, limit):
    response = send(client, **{field: "a" * (limit + 1)})

    assert f"au plus {limit} caractères" in errors(response)[field][0]


def test_a_huge_value_is_a_clear_message_not_a_crash(client):
    response = send(client, last_name="x" * 100_000)

    assert response.status_code == 200
    assert "au plus 100 caractères" in errors(response)["last_name"][0]


def test_nothing_typed_is_lost_when_the_form_comes_back(client):
    typed = {**establishment(fax="01 42 68 53 01"), **person(phone="12")}

    response = send(client, **typed)

    page = html.unescape(response.content.decode())
    for name, value in typed.items():
        if value:
            assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', page) or re.search(
                rf'value="{re.escape(value)}"[^>]*name="{name}"', page
            ), name
    assert 'value="PASSED-TEST"' not in page


# --- Code postal and Ville (editable when SIRENE does not know them) -----------------------


def unknown_address_sirene():
    return make_sirene(postal_code="", city="", street_name="")


@pytest.mark.parametrize("typed", ["7500", "750021", "ABCDE", "96100", "00100", "97900"])
def test_an_invalid_postal_code_is_refused(client, typed):
    response = send(
        client, unknown_address_sirene(), postal_code=typed, city="PARIS", street_name="RUE X"
    )

    assert errors(response)["postal_code"] == [
        "Le code postal doit comporter 5 chiffres et correspondre à un département."
    ]


def test_the_city_must_match_the_communes_known_for_the_postal_code(client):
    make_sirene(postal_code="33000", city="BORDEAUX")

    response = send(
        client, unknown_address_sirene(), postal_code="33000", city="LYON", street_name="RUE X"
    )

    assert errors(response)["city"] == ["La ville ne correspond pas au code postal."]


def test_the_city_is_compared_without_accents_case_or_saint_abbreviation(client):
    make_sirene(postal_code="97410", city="SAINT-PIERRE")

    response = send(
        client,
        unknown_address_sirene(),
        postal_code="97410",
        city="St Pierre",
        street_name="RUE X",
        establishment_phone="0262 12 34 56",
    )

    assert response.status_code == 302


def test_a_postal_code_the_directory_does_not_know_is_accepted(client):
    response = send(
        client, unknown_address_sirene(), postal_code="23000", city="GUERET", street_name="RUE X"
    )

    assert response.status_code == 302
    assert Establishment.objects.get().city == "GUERET"


# --- Nom and Prénom: the non-blocking civil-status check -----------------------------------


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("last_name", "SARL Dupont"),
        ("last_name", "Société Dupont"),
        ("last_name", "Cabinet Martin"),
        ("first_name", "Gérant"),
        ("first_name", "Directrice"),
        ("last_name", "Service RH"),
        ("first_name", "Mme"),
        ("first_name", "M."),
        ("first_name", "Monsieur"),
        ("last_name", "Comptable"),
    ],
)
def test_a_name_like_a_company_or_a_title_is_questioned(client, field, typed):
    response = send(client, **{field: typed})

    page = html.unescape(response.content.decode())
    warning = re.search(rf'id="id_{field}-desc-warning">(.*?)</p>', page)
    assert warning and warning.group(1) == CIVIL_STATUS
    assert field not in errors(response)  # a warning, not an error (see test_civil_status.py)
    assert not Establishment.objects.exists()


@pytest.mark.parametrize("typed", ["Sasha", "Marie-Sophie", "Madec", "Mégane", "Dupont"])
def test_ordinary_names_are_not_questioned(client, typed):
    assert send(client, first_name=typed).status_code == 302


def test_step_2_submissions_are_rate_limited_per_address(client, settings):
    settings.APART_REGISTRATION_RATE_LIMIT = 2
    sirene = make_sirene()
    submit_step1(client, sirene.siret)
    for _ in range(2):
        submit_step2(client, {**establishment(), **person(phone="1")})

    response = submit_step2(client, {**establishment(), **person()})

    assert response.status_code == 429
    assert "Trop de demandes ont été envoyées depuis votre connexion" in html.unescape(
        response.content.decode()
    )
    assert 'value="Gérard"' in html.unescape(response.content.decode())
    assert not Establishment.objects.exists()


def test_a_wrong_captcha_is_refused_and_the_form_kept(client):
    submit_step1(client, make_sirene().siret)

    response = submit_step2(client, {**establishment(), **person()}, captcha_1="wrong")

    assert errors(response)["captcha"] == [
        "Le captcha n'a pas été entré correctement. Essayez à nouveau."
    ]
    assert 'value="Gérard"' in html.unescape(response.content.decode())
    assert not Establishment.objects.exists()


def test_asking_another_captcha_keeps_what_was_typed(client):
    response = send(client, captcha_switch="operation")

    page = html.unescape(response.content.decode())
    assert "Veuillez résoudre l'opération suivante *" in page
    assert 'value="Gérard"' in page
    assert 'value="CLEAN DESK"' in page  # greyed fields still shown
    assert "fr-error-text" not in page
    assert not Establishment.objects.exists()
