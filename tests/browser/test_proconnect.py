"""« S'identifier avec ProConnect » in Chromium, against the test OpenID provider on loopback:
a new employer creates the space through ProConnect and, once habilitated, reaches the space;
an agent links the identity with the account's password and reaches the back office; both log
out at the provider too."""

import re

import pytest

from apart.accounts.models import Account
from apart.habilitations.models import Habilitation
from apart.habilitations.services import approve_habilitation
from apart.proconnect.models import ProConnectIdentity
from apart.registration.messages import REQUEST_SENT
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.second_factor import pass_second_step
from tests.habilitations.factories import ensure_applications, make_agent
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTON = "S'identifier avec ProConnect"


def press_proconnect(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=BUTTON).click()


def log_out(page, live_server, provider) -> None:
    page.get_by_role("button", name="DÉCONNEXION").first.click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Vous êtes déconnecté.").is_visible()
    assert provider.logouts[-1]["id_token_hint"]


def test_a_new_employer_creates_the_space_and_signs_in_with_proconnect(page, live_server, provider):
    ensure_applications()
    sirene = make_sirene(denomination="CLEAN DESK")
    provider.user = {**provider.user, "siret": sirene.siret}

    page.goto(live_server.url + "/")
    box = page.locator(".apart-login-box")
    assert box.get_by_role("button", name=BUTTON).is_visible()
    link = box.get_by_role("link", name="Qu'est-ce que ProConnect ?")
    assert link.get_attribute("target") == "_blank"
    assert_accessible(page)
    press_proconnect(page)

    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))
    assert page.get_by_text("Vos informations ProConnect ont été reprises").is_visible()
    assert page.locator("#id_denomination").input_value() == "CLEAN DESK"
    assert page.locator("#id_last_name").input_value() == "Menuça"
    assert page.locator("#id_first_name").input_value() == "Gérard"
    assert page.locator("#id_email").input_value() == "gerard.menuca@example.fr"
    assert page.locator("#id_email_confirm").input_value() == "gerard.menuca@example.fr"
    assert_accessible(page)
    page.locator("#id_establishment_email").fill("contact@clean-desk.fr")
    page.locator("#id_establishment_email_confirm").fill("contact@clean-desk.fr")
    page.locator("#id_establishment_phone").fill("01 42 68 53 00")
    page.locator("#id_secret_question").fill("Ma première voiture ?")
    page.locator("#id_secret_answer").fill("Cylindrée")
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("#registration-submit").click()

    page.wait_for_url(re.compile("/creer-mon-espace/demande-transmise/$"))
    assert page.get_by_text(REQUEST_SENT).is_visible()
    account = Account.objects.get(email="gerard.menuca@example.fr")
    assert not account.has_usable_password()
    assert ProConnectIdentity.objects.get().account == account

    # Before the agent's decision: the guide's message, the password login still offered.
    page.goto(live_server.url + "/")
    press_proconnect(page)
    page.wait_for_url(re.compile("/connexion/$"))
    assert page.get_by_text("Votre demande d'habilitation est en cours de traitement").is_visible()
    assert page.get_by_label("Mot de passe :").is_visible()
    assert_accessible(page)

    approve_habilitation(habilitation=Habilitation.objects.get(account=account), actor=None)
    press_proconnect(page)
    page.wait_for_url(re.compile("/espace/$"))
    assert_accessible(page)

    log_out(page, live_server, provider)


def test_an_agent_links_the_identity_with_the_password_then_signs_in(
    page, live_server, provider, settings
):
    settings.APART_PROCONNECT_AGENT_EMAIL_DOMAINS = ["asp.fr"]
    agent = make_agent(email="agnes@asp.fr", password=STRONG_PASSWORD)
    provider.user = {"sub": "agent-0001", "email": "agnes@asp.fr", "given_name": "Agnès"}

    page.goto(live_server.url + "/")
    press_proconnect(page)

    page.wait_for_url(re.compile("/proconnect/association/$"))
    heading = "Associer votre identité ProConnect à votre compte"
    assert page.get_by_role("heading", name=heading).is_visible()
    assert_accessible(page)
    page.get_by_label("Utilisateur :").fill(agent.login)
    page.get_by_label("Mot de passe :").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Associer et me connecter").click()

    # The agent's account has a second factor: the password alone does not link; APART's own
    # second step follows, then the association is confirmed in the open session.
    page.wait_for_url(re.compile("/connexion/verification/"))
    assert not ProConnectIdentity.objects.exists()
    pass_second_step(page, agent)
    page.wait_for_url(re.compile("/proconnect/association/confirmation/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer l'association").click()
    page.wait_for_url(re.compile("/gestion/$"))
    assert page.get_by_text("Votre identité ProConnect est désormais associée").is_visible()
    page.get_by_role("button", name="DÉCONNEXION").first.click()
    page.wait_for_url(live_server.url + "/")

    press_proconnect(page)
    pass_second_step(page, agent)
    page.wait_for_url(re.compile("/gestion/$"))
    log_out(page, live_server, provider)


def test_a_failure_is_shown_on_the_login_page(page, live_server, provider):
    provider.sign_with_rogue_key = True

    page.goto(live_server.url + "/")
    press_proconnect(page)

    page.wait_for_url(re.compile("/connexion/$"))
    assert page.get_by_text("La connexion avec ProConnect n'a pas pu aboutir.").is_visible()
    assert page.get_by_role("button", name="Connexion").is_visible()
    assert_accessible(page)
