"""Keyboard use of the login box and the guide's grid of step 2, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene
from tests.space.factories import employer_with_establishments

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


# The guide's step 2 screen, « Information établissement »: Code postal | Ville, then the two
# emails in one column beside the two phones.
ESTABLISHMENT_SAME_ROW = [
    ("#id_postal_code", "#id_city"),
    ("#id_establishment_email", "#id_establishment_phone"),
    ("#id_establishment_email_confirm", "#id_fax"),
]
ESTABLISHMENT_ABOVE_BELOW = [
    ("#id_city", "#id_establishment_email"),
    ("#id_establishment_email", "#id_establishment_email_confirm"),
]


def _assert_rows(page, *, same_row, above_below):
    for left, right in same_row:
        a, b = _box(page, left), _box(page, right)
        assert a["y"] == b["y"] and a["x"] < b["x"], (left, right)
    for above, below in above_below:
        a, b = _box(page, above), _box(page, below)
        assert a["y"] < b["y"], (above, below)
        if "city" not in above:
            assert a["x"] == b["x"], (above, below)


def _log_in(page, base, login):
    page.goto(base + "/connexion/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


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

    _assert_rows(
        page,
        same_row=[
            *ESTABLISHMENT_SAME_ROW,
            ("#id_last_name", "#id_first_name"),
            ("#id_first_name", "#id_phone"),
        ],
        above_below=[
            *ESTABLISHMENT_ABOVE_BELOW,
            ("#id_email", "#id_email_confirm"),
            ("#id_email_confirm", "#id_secret_question"),
        ],
    )


def test_adding_an_establishment_while_logged_in_is_laid_out_as_step_2(page, live_server):
    account = employer_with_establishments(1)
    sirene = make_sirene(denomination="CLEAN DESK LYON")
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server.url, account.login)
    page.goto(live_server.url + "/espace/etablissements/ajouter/")
    page.get_by_label("N° de Siret").fill(sirene.siret)
    with page.expect_navigation():
        page.locator("#contenu form").get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/espace/etablissements/ajouter/informations/$"))

    _assert_rows(page, same_row=ESTABLISHMENT_SAME_ROW, above_below=ESTABLISHMENT_ABOVE_BELOW)
    expect(page.locator("label[for=id_denomination]")).to_contain_text("renseigné par l'INSEE")
    # Sent empty: the errors are said once, under their fields; the summary only links to them.
    with page.expect_navigation():
        page.get_by_role("button", name="ENVOYER").click()
    message = "Ce champ est obligatoire"
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Téléphone fixe", exact=True)).to_have_attribute(
        "href", "#id_establishment_phone"
    )
    expect(summary).not_to_contain_text(message)
    expect(page.locator("#id_establishment_phone")).to_have_accessible_description(
        re.compile(message)
    )
    assert_accessible(page)


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
