"""The whole "Créer mon espace" journey of the guide's case 1, in Chromium."""

import re

import pytest

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.registration.messages import REQUEST_SENT
from tests.browser.axe import assert_accessible
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = {
    "#id_establishment_email": "contact@clean-desk.fr",
    "#id_establishment_email_confirm": "contact@clean-desk.fr",
    "#id_establishment_phone": "01 42 68 53 00",
    "#id_last_name": "Menuça",
    "#id_first_name": "Gérard",
    "#id_phone": "06 12 34 56 78",
    "#id_email": "gerard.menuca@example.fr",
    "#id_email_confirm": "gerard.menuca@example.fr",
    "#id_secret_question": "Ma première voiture ?",
    "#id_secret_answer": "Cylindrée",
}


def test_case_1_from_the_home_page_to_the_information_message(page, live_server):
    ensure_applications()
    sirene = make_sirene(denomination="CLEAN DESK")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("CRÉER MON ESPACE")).click()
    page.wait_for_url(re.compile("/creer-mon-espace/$"))
    assert page.get_by_role("heading", name="Veuillez indiquer votre numéro de Siret").is_visible()
    assert_accessible(page)

    page.get_by_label("N° de Siret").fill(sirene.siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()

    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))
    heading = "CRÉATION DE COMPTE D'ACCÈS À L'EXTRANET ACTIVITÉ PARTIELLE"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator("#id_denomination").input_value() == "CLEAN DESK"
    assert page.locator("#id_denomination").get_attribute("readonly") is not None
    submit = page.locator("#registration-submit")
    assert submit.is_disabled()  # until every mandatory field and the captcha are filled
    assert_accessible(page)

    for selector, value in ACCOUNT.items():
        page.locator(selector).fill(value)
    assert submit.is_disabled()
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    assert submit.is_enabled()
    submit.click()

    page.wait_for_url(re.compile("/creer-mon-espace/demande-transmise/$"))
    assert page.get_by_role("heading", name="Information").is_visible()
    assert page.get_by_text(REQUEST_SENT).is_visible()
    assert_accessible(page)
    assert Establishment.objects.get().main_contact == Account.objects.get(
        email="gerard.menuca@example.fr"
    )


def test_accents_are_removed_from_an_email_as_soon_as_it_is_left(page, live_server):
    ensure_applications()
    sirene = make_sirene()
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill(sirene.siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/compte/$"))

    page.locator("#id_email").fill("gérard.menuça@example.fr")
    page.locator("#id_email_confirm").focus()

    assert page.locator("#id_email").input_value() == "gerard.menuca@example.fr"
    notice = page.locator("#id_email-desc-accents")
    assert notice.inner_text() == "Les accents ont été retirés de l'adresse électronique."
    assert_accessible(page)
