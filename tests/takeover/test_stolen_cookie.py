"""Attack: with only a stolen session cookie, change what recovers or pays the account.

Every sensitive change asks « Mot de passe actuel » first; nothing changes without it."""

import pytest

from apart.accounts.models import Account
from apart.establishments.models import Establishment, EstablishmentFiche, Invitation
from apart.notifications.models import OutboundEmail
from tests.space.factories import VALID_BIC

pytestmark = pytest.mark.django_db

REAUTH = "/confirmer-mon-identite/"
ATTACKER_EMAIL = "pirate@exemple.net"
ATTACKER_IBAN = "FR1420041010050500013M02606"


def _refused(response):
    assert response.status_code == 302
    assert response.url.startswith(REAUTH + "?next=")


def test_the_stolen_cookie_opens_the_space(scene):
    # The premise: the copy of the cookie is a live session of the victim.
    assert scene.attacker.get("/espace/mon-compte/").status_code == 200


def test_my_account_shows_no_change_form_before_the_password(scene):
    html = scene.attacker.get("/espace/mon-compte/").content.decode()

    assert "Confirmer mon mot de passe" in html
    assert 'action="/espace/mon-compte/courriel/"' not in html
    assert 'action="/espace/mon-compte/question-secrete/"' not in html


def test_the_secret_question_cannot_be_changed(scene):
    scene.attacker.get("/espace/mon-compte/")

    response = scene.attacker.post(
        "/espace/mon-compte/question-secrete/",
        {"secret_question": "Mon pirate ?", "secret_answer": "moi"},
    )

    _refused(response)
    assert Account.objects.get(pk=scene.victim.pk).secret_question == "cylindrée"


def test_the_secret_question_setup_page_cannot_replace_an_existing_one(scene):
    scene.attacker.get("/espace/mon-compte/")  # a page with a form: the CSRF cookie
    response = scene.attacker.get("/question-secrete/")

    _refused(response)
    response = scene.attacker.post(
        "/question-secrete/", {"question": "Mon pirate ?", "answer": "moi"}
    )
    _refused(response)
    assert Account.objects.get(pk=scene.victim.pk).secret_question == "cylindrée"


def test_the_email_cannot_be_changed(scene):
    scene.attacker.get("/espace/mon-compte/")

    response = scene.attacker.post(
        "/espace/mon-compte/courriel/", {"email": ATTACKER_EMAIL, "email_confirm": ATTACKER_EMAIL}
    )

    _refused(response)
    assert not OutboundEmail.objects.filter(to=ATTACKER_EMAIL).exists()


def test_the_phone_cannot_be_changed(scene):
    scene.attacker.get("/espace/mon-compte/")

    response = scene.attacker.post("/espace/mon-compte/telephone/", {"phone": "0699999999"})

    _refused(response)
    assert Account.objects.get(pk=scene.victim.pk).phone == "0102030405"


def test_the_bank_details_cannot_be_changed(scene):
    fiche_path = f"/espace/etablissements/{scene.establishment.pk}/"
    before = EstablishmentFiche.objects.get(establishment=scene.establishment).iban
    html = scene.attacker.get(fiche_path).content.decode()
    assert "confirmez d'abord votre mot de passe" in html
    assert 'action="' + fiche_path + 'coordonnees-bancaires/"' not in html

    response = scene.attacker.post(
        fiche_path + "coordonnees-bancaires/",
        {"iban": ATTACKER_IBAN, "bic": VALID_BIC, "account_holder": "PIRATE"},
    )

    _refused(response)
    assert EstablishmentFiche.objects.get(establishment=scene.establishment).iban == before


def test_no_colleague_can_be_invited(scene):
    path = f"/espace/etablissements/{scene.establishment.pk}/collegues/"
    scene.attacker.get(path)

    response = scene.attacker.post(path, {"email": ATTACKER_EMAIL})

    _refused(response)
    assert not Invitation.objects.filter(email=ATTACKER_EMAIL).exists()


def test_the_main_contact_role_cannot_be_handed_over(scene):
    base = f"/espace/etablissements/{scene.establishment.pk}/collegues/"
    scene.attacker.get(base)

    response = scene.attacker.post(f"{base}{scene.colleague.pk}/contact-principal/", {})

    _refused(response)
    assert response.url == REAUTH + "?next=" + base.replace("/", "%2F")
    establishment = Establishment.objects.get(pk=scene.establishment.pk)
    assert establishment.main_contact_id == scene.victim.pk


def test_guessing_the_password_on_the_page_locks_and_ends_the_session(scene, settings):
    settings.APART_LOGIN_MAX_FAILURES = 3
    scene.attacker.get(REAUTH)
    for _ in range(3):
        response = scene.attacker.post(REAUTH, {"password": "Devine-1234!", "next": "/espace/"})

    assert response.url == "/connexion/"
    # The stolen session and the victim's own (the same one) are over.
    assert scene.attacker.get("/espace/mon-compte/").status_code == 302
    assert scene.victim_browser.get("/espace/mon-compte/").status_code == 302
