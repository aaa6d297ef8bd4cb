"""The non-blocking check of step 2 in Chromium: warned beside Nom and Prénom, nothing lost, the
captcha not asked again, the second ENVOYER sends (the guide: "contrôles non bloquants")."""

import re

import pytest
from playwright.sync_api import expect

from apart.registration.messages import REQUEST_SENT
from apart.registration.models import RegistrationRequest
from tests.browser.axe import assert_accessible
from tests.browser.test_registration import ACCOUNT
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CIVIL_STATUS = "Merci de saisir votre état civil uniquement."


def test_a_name_like_a_title_is_warned_once_then_the_second_envoyer_sends(page, live_server):
    ensure_applications()
    sirene = make_sirene(denomination="CLEAN DESK")
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill(sirene.siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))
    for selector, value in {
        **ACCOUNT,
        "#id_last_name": "Gérant",
        "#id_first_name": "Monsieur",
    }.items():
        page.locator(selector).fill(value)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    with page.expect_navigation():
        page.locator("#registration-submit").click()

    for field in ("#id_last_name", "#id_first_name"):
        expect(page.locator(field)).to_have_accessible_description(
            re.compile(re.escape(CIVIL_STATUS))
        )
    expect(page.locator("#id_last_name")).to_have_value("Gérant")
    expect(page.locator("#id_secret_answer")).to_have_value("Cylindrée")
    expect(page.locator(".fr-error-text")).to_have_count(0)
    expect(page.get_by_label("Recopier le code ci-contre")).to_have_count(0)
    expect(page.get_by_text("Contrôle de sécurité validé")).to_be_visible()
    assert_accessible(page)
    assert not RegistrationRequest.objects.exists()

    with page.expect_navigation():
        page.locator("#registration-submit").click()

    page.wait_for_url(re.compile("/creer-mon-espace/demande-transmise/$"))
    expect(page.get_by_text(REQUEST_SENT)).to_be_visible()
    assert RegistrationRequest.objects.get().name_flagged
