"""Keyboard use of the login box and the guide's grid of step 2, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => document.activeElement.id || document.activeElement.textContent.trim()"


@pytest.mark.parametrize("path", ["/", "/connexion/"])
def test_the_login_fields_are_reached_in_two_tab_presses(page, live_server, path):
    page.goto(live_server.url + path)

    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Connexion"  # the first skip link
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    assert page.evaluate(FOCUSED) == "id_login"


def test_after_the_password_comes_connexion_and_nothing_empties_the_fields(page, live_server):
    page.goto(live_server.url + "/")
    page.locator("#id_login").fill("ilmen.foplus")
    page.locator("#id_password").fill("secret")
    page.locator("#id_password").focus()

    page.keyboard.press("Tab")

    assert page.evaluate(FOCUSED) == "Connexion"
    assert page.locator("button[type=reset]").count() == 0
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "Annuler"
    assert page.locator("#id_login").input_value() == "ilmen.foplus"
    assert page.locator("#id_password").input_value() == "secret"


def _box(page, selector):
    return page.locator(selector).bounding_box()


def test_step_2_is_laid_out_as_the_guides_screen(page, live_server):
    ensure_applications()
    sirene = make_sirene(denomination="CLEAN DESK")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill(sirene.siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))

    same_row = [
        ("#id_postal_code", "#id_city"),
        ("#id_establishment_email", "#id_establishment_phone"),
        ("#id_establishment_email_confirm", "#id_fax"),
        ("#id_last_name", "#id_first_name"),
        ("#id_first_name", "#id_phone"),
    ]
    for left, right in same_row:
        a, b = _box(page, left), _box(page, right)
        assert a["y"] == b["y"] and a["x"] < b["x"], (left, right)
    for above, below in [
        ("#id_establishment_email", "#id_establishment_email_confirm"),
        ("#id_email", "#id_email_confirm"),
        ("#id_email_confirm", "#id_secret_question"),
    ]:
        a, b = _box(page, above), _box(page, below)
        assert a["x"] == b["x"] and a["y"] < b["y"], (above, below)
    assert _box(page, "#id_city")["y"] < _box(page, "#id_establishment_email")["y"]


def test_step_2_greyed_fields_say_they_come_from_insee_and_look_read_only(page, live_server):
    ensure_applications()
    sirene = make_sirene(denomination="CLEAN DESK")
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill(sirene.siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))

    denomination = page.locator("#id_denomination")
    expect(denomination).to_have_attribute("readonly", "")
    expect(page.locator("label[for=id_denomination]")).to_contain_text("renseigné par l'INSEE")
    style = "(el) => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).color]"
    greyed, editable = (
        denomination.evaluate(style),
        page.locator("#id_establishment_email").evaluate(style),
    )
    assert greyed[0] == "dashed" and editable[0] != "dashed"
    assert greyed[1] != editable[1]
    # The keyboard goes from a field to be typed to the next one, greyed fields aside.
    page.locator("#id_address_complement").focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "id_establishment_email"  # postal code and city greyed
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "id_establishment_email_confirm"
    assert_accessible(page)
