"""A DAP from draft to decision, then a DI validated, in Chromium; every page is accessible.

(Form errors answer 400, which Chromium logs as a console error that the page fixture refuses:
the errors next to the fields and the values kept are tested with the test client.)"""

import datetime
import re

import pytest

from apart.claims.models import Claim
from apart.dap.models import AuthorisationRequest, Decision, Reason
from apart.habilitations.dates import paris_today
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.decisions import decide
from tests.browser.second_factor import pass_second_step
from tests.claims.factories import NIR_1
from tests.dap.factories import employer_with_complete_fiche, make_accepted
from tests.dap.pdfs import PDF, read_pdf, text_of, words
from tests.habilitations.factories import ensure_applications, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENT_PASSWORD = "Agent-Mot2passe!"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _log_in(page, live_server, login, password):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Utilisateur").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()


def _log_out(page):
    page.get_by_role("button", name="DÉCONNEXION").first.click()


def test_a_dap_from_draft_to_decision(page, live_server):
    ensure_applications()
    account, _establishment = employer_with_complete_fiche()
    agent = make_agent(password=AGENT_PASSWORD)
    start = paris_today() + datetime.timedelta(days=7)

    _log_in(page, live_server, account.login, STRONG_PASSWORD)
    page.wait_for_url(re.compile("/espace/$"))
    page.get_by_role("link", name="Créer une nouvelle demande").first.click()
    page.wait_for_url(re.compile("/espace/demandes-autorisation/nouvelle/"))
    assert_accessible(page)
    page.get_by_label("Motif de recours").select_option(Reason.ECONOMIC.value)
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date de fin").fill((start + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("Nombre de salariés concernés").fill("8")
    page.get_by_label("Nombre d'heures chômées prévisionnelles").fill("320,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    assert page.get_by_text(re.compile("est enregistrée en brouillon")).is_visible()
    assert_accessible(page)

    page.get_by_label("Pièce jointe (PDF)").set_input_files(
        files=[{"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Joindre le fichier").click()
    assert page.get_by_text("Pièce jointe « attestation.pdf » ajoutée.").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Transmettre la demande").click()
    assert page.get_by_text(re.compile("a été transmise")).is_visible()
    assert_accessible(page)
    dap = AuthorisationRequest.objects.get()
    assert dap.status == AuthorisationRequest.Status.SUBMITTED
    _log_out(page)

    _log_in(page, live_server, agent.login, AGENT_PASSWORD)
    pass_second_step(page, agent)
    page.goto(live_server.url + "/gestion/autorisations/")
    assert_accessible(page)
    page.get_by_role("link", name=dap.reference).click()
    page.wait_for_url(re.compile(f"/gestion/autorisations/{dap.pk}/$"))
    assert_accessible(page)
    page.get_by_label("Heures autorisées").fill("300")
    page.locator("#id_autoriser-reason").fill("Baisse d'activité établie.")
    decide(page, "Autoriser la demande")
    assert page.get_by_text(re.compile("autorisée ; l'employeur en est informé")).is_visible()
    _log_out(page)

    _log_in(page, live_server, account.login, STRONG_PASSWORD)
    page.get_by_role("navigation", name="Menu de l'espace employeur").get_by_role(
        "link", name="DÉCISIONS D'AUTORISATION"
    ).click()
    page.wait_for_url(re.compile("/espace/decisions/$"))
    assert page.get_by_role("heading", name="Mes Décisions d'Autorisation").is_visible()
    assert_accessible(page)
    decision = Decision.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(f"Décision {decision.reference}")).click()
    with open(download.value.path(), "rb") as document:
        content = document.read()
    assert content[:5] == b"%PDF-"
    assert read_pdf(content).metadata.title == f"Décision {decision.reference}"
    assert "Heures autorisées : 300,00" in words(text_of(content))


def test_a_di_is_filed_and_validated(page, live_server):
    ensure_applications()
    account, establishment = employer_with_complete_fiche()
    today = paris_today()
    decision = make_accepted(
        account,
        establishment,
        reason=Reason.DISASTER,
        start_date=today - datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=40),
    )
    agent = make_agent(password=AGENT_PASSWORD)

    _log_in(page, live_server, account.login, STRONG_PASSWORD)
    page.wait_for_url(re.compile("/espace/$"))
    page.get_by_role("link", name="Créer une nouvelle demande").nth(1).click()
    page.wait_for_url(re.compile("/espace/demandes-indemnisation/nouvelle/$"))
    assert_accessible(page)
    page.get_by_label("Décision d'autorisation").select_option(str(decision.pk))
    page.get_by_label("Mois concerné").fill(today.strftime("%Y-%m"))
    with page.expect_navigation():
        page.get_by_role("button", name="Créer la demande").click()
    assert_accessible(page)
    page.get_by_label("Nom *", exact=True).fill("Martin")
    page.get_by_label("Prénom *", exact=True).fill("Julie")
    page.get_by_label("Heures chômées dans le mois").fill("35")
    page.get_by_label("Taux horaire brut").fill("30,00")
    page.get_by_label("NIR").fill(NIR_1)
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter le salarié").click()
    assert page.locator("#total-montant").inner_text().strip() in {"378,00", "378.00"}
    with page.expect_navigation():
        page.get_by_role("button", name="Transmettre la demande").click()
    assert page.get_by_text(re.compile("a été transmise")).is_visible()
    assert_accessible(page)
    claim = Claim.objects.get()
    _log_out(page)

    _log_in(page, live_server, agent.login, AGENT_PASSWORD)
    pass_second_step(page, agent)
    page.goto(live_server.url + "/gestion/indemnisations/")
    assert_accessible(page)
    page.get_by_role("link", name=claim.reference).click()
    assert_accessible(page)
    decide(page, "Valider la demande")
    page.get_by_role("link", name="Demandes validées, à payer").click()
    assert page.get_by_role("link", name=claim.reference).is_visible()
    assert_accessible(page)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VALIDATED
