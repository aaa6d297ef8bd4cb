"""The guide's case 2 with proof, in Chromium: "Créer mon espace" with the email of a person who
already holds a habilitation, the link received by email, login, the guide's message on the
confirmation page, an agent's approval, then the SIRET usable."""

import html
import re

import pytest

from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.registration.messages import ATTACHMENT_PENDING, REQUEST_SENT
from tests.browser.axe import assert_accessible
from tests.browser.decisions import decide
from tests.browser.second_factor import pass_second_step
from tests.habilitations.factories import (
    ensure_applications,
    make_account,
    make_agent,
    make_habilitation,
)
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-1!"
EMAIL = "ilmen@foplus.fr"
CASE_2 = (
    "Pour information : l'utilisateur FoPlus ilmen a déjà une habilitation sur l'extranet "
    "Activité Partielle, pour un autre établissement que le vôtre. Cette même habilitation va "
    "être rattachée à ce compte établissement."
)
TYPED = {
    "#id_establishment_email": "contact@clean-desk.fr",
    "#id_establishment_email_confirm": "contact@clean-desk.fr",
    "#id_establishment_phone": "01 42 68 53 00",
    "#id_last_name": "Menuça",
    "#id_first_name": "Gérard",
    "#id_phone": "06 12 34 56 78",
    "#id_email": EMAIL,
    "#id_email_confirm": EMAIL,
    "#id_secret_question": "Ma première voiture ?",
    "#id_secret_answer": "Cylindrée",
}


def _fill_login(page, login):
    page.get_by_label("Utilisateur").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def _register(page, live_server, siret):
    page.goto(live_server.url + "/creer-mon-espace/")
    page.get_by_label("N° de Siret").fill(siret)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    page.get_by_role("button", name="VALIDER").click()
    page.wait_for_url(re.compile("/creer-mon-espace/compte/$"))
    for selector, value in TYPED.items():
        page.locator(selector).fill(value)
    page.get_by_label("Recopier le code ci-contre").fill("PASSED-TEST")
    page.locator("#registration-submit").click()
    page.wait_for_url(re.compile("/creer-mon-espace/demande-transmise/$"))


def test_case_2_link_login_confirmation_agent_approval_then_the_siret_is_usable(
    page, live_server, smtp_server, deliver_outbox
):
    ensure_applications()
    ilmen = make_account(
        login="ilmen.foplus", first_name="ilmen", last_name="FoPlus", email=EMAIL, password=PASSWORD
    )
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    agent = make_agent(login="agnes.instructrice", password=PASSWORD)
    sirene = make_sirene(denomination="CLEAN DESK LYON")

    # Anonymous: the same answer as for any email, no name.
    _register(page, live_server, sirene.siret)
    assert page.get_by_text(REQUEST_SENT).is_visible()
    assert "FoPlus" not in page.content()

    # The link arrives at the account's own address.
    deliver_outbox()
    [email] = smtp_server.to(EMAIL)
    link = re.search(r"https?://\S+/creer-mon-espace/confirmer/\S+/", smtp_server.text_of(email))
    path = re.sub(r"^https?://[^/]+", "", link[0])

    # Login first, then back to the confirmation page with the guide's message.
    page.goto(live_server.url + path)
    page.wait_for_url(re.compile("/connexion/"))
    _fill_login(page, "ilmen.foplus")
    page.wait_for_url(re.compile("/creer-mon-espace/confirmer/"))
    assert page.get_by_text(CASE_2).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="CONFIRMER").click()
    page.wait_for_url(re.compile("/creer-mon-espace/demande-transmise/$"))
    assert page.get_by_text(ATTACHMENT_PENDING).is_visible()
    page.goto(live_server.url + "/espace/etablissements/")
    assert page.get_by_text("en attente de validation", exact=True).is_visible()
    assert page.get_by_role("link", name="CLEAN DESK LYON").count() == 0
    page.get_by_role("button", name="DÉCONNEXION").click()

    # An agent approves the attachment from the queue.
    page.goto(live_server.url + "/connexion/")
    _fill_login(page, agent.login)
    pass_second_step(page, agent)
    page.goto(live_server.url + "/gestion/demandes/")
    page.get_by_role("link", name=f"Instruire le rattachement de {sirene.siret}").click()
    page.wait_for_url(re.compile("/gestion/demandes/\\d+/"))
    assert_accessible(page)
    decide(page, f"Approuver le rattachement de {sirene.siret}")
    page.wait_for_url(re.compile("/gestion/demandes/$"))
    assert page.get_by_text(re.compile("Rattachement de l'établissement .* approuvé")).is_visible()
    page.get_by_role("button", name="DÉCONNEXION").click()
    assert AttachmentRequest.objects.get().status == AttachmentRequest.Status.APPROVED

    deliver_outbox()
    decision = smtp_server.to(EMAIL)[-1]
    assert "a été acceptée" in html.unescape(smtp_server.text_of(decision))

    # The SIRET is now usable.
    page.goto(live_server.url + "/connexion/")
    _fill_login(page, "ilmen.foplus")
    page.wait_for_url(re.compile("/espace/"))
    page.goto(live_server.url + "/espace/etablissements/")
    page.get_by_role("link", name="CLEAN DESK LYON").click()
    page.wait_for_url(re.compile("/espace/etablissements/\\d+/$"))
    assert page.get_by_role("heading", name="Fiche établissement", exact=True).is_visible()
    assert page.get_by_text(sirene.siret).first.is_visible()
