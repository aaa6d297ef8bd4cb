"""The employer's space in a real browser: the guide's step-4 dashboard, then a fiche completed
until it turns « Complète »; every page passes the accessibility check."""

import re

import pytest
from playwright.sync_api import expect

from apart.habilitations.models import Habilitation
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.space.factories import employer_with_establishments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, account):
    page.goto(live_server.url + "/")
    box = page.locator("form.apart-login-form")
    box.get_by_label("Utilisateur :").fill(account.login)
    box.get_by_label("Mot de passe :").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        box.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile("/espace/$"))


def test_the_dashboard_is_the_guides_step_4_and_is_accessible(page, live_server):
    account = employer_with_establishments(2)

    _log_in(page, live_server, account)

    assert page.get_by_role("heading", name=re.compile("BONJOUR,")).is_visible()
    nav = page.get_by_role("navigation", name="Menu de l'espace employeur")
    for item in ("ÉTABLISSEMENTS", "DEMANDES D'AUTORISATION PRÉALABLE", "DÉCISIONS D'AUTORISATION"):
        assert nav.get_by_role("link", name=item).count() == 1
    assert page.get_by_text("Votre fiche établissement est incomplète !").is_visible()
    assert page.get_by_role("heading", name=re.compile("Mes Etablissements")).is_visible()
    create = page.get_by_role("button", name="Créer une nouvelle demande").first
    assert create.is_disabled()
    assert_accessible(page)


def test_a_fiche_is_completed_until_it_turns_complete(page, live_server):
    account = employer_with_establishments(1)
    establishment = Habilitation.objects.get(account=account).establishments.get()
    _log_in(page, live_server, account)

    page.get_by_role("link", name=establishment.denomination).first.click()
    page.wait_for_url(re.compile(rf"/espace/etablissements/{establishment.pk}/$"))
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("Martig")
    page.get_by_label("Prénom", exact=True).fill("Jean")
    page.get_by_label("Fonction").fill("Gérant")
    page.get_by_label("Courriel", exact=True).fill("jean.martig@clean-desk.fr")
    page.get_by_label("Téléphone", exact=True).fill("01 02 03 04 05")
    page.get_by_label("Effectif (nombre de salariés)").fill("12")
    page.get_by_label("Code NAF").fill("81.21Z")
    page.get_by_label("Convention collective (IDCC)").fill("3043")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la fiche").click()
    with page.expect_navigation():  # the bank details ask for the password again first
        page.get_by_role("link", name="Modifier les coordonnées bancaires").click()
    page.get_by_label("Mot de passe actuel").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Valider").click()
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_label("BIC").fill("AGRIFRPP882")
    page.get_by_label("Titulaire du compte").fill("CLEAN DESK")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer les coordonnées bancaires").click()

    assert page.get_by_text("Votre fiche établissement est complète.").is_visible()
    assert page.get_by_text("FR76 **** **** **** **** **** 189").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/espace/")
    assert page.get_by_text("Votre fiche établissement est incomplète !").count() == 0


def test_the_help_page_is_accessible(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="BESOIN D'AIDE ?").first.click()
    page.wait_for_url(re.compile("/aide/$"))
    page.get_by_role("button", name="Vous avez oublié votre identifiant").click()
    expect(page.get_by_text("Vous devez contacter l'Assistance.")).to_be_visible()
    assert_accessible(page)
