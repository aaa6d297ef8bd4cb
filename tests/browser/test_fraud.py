"""Agents see the fraud signals in Chromium: the risk and its reasons in the DAP queue, the
filter, the item's panel, the examination, the four-eyes refusal, the figures page (axe)."""

import re

import pytest

from apart.accounts.models import Account
from apart.dap.models import AuthorisationRequest
from tests.browser.axe import assert_accessible
from tests.browser.decisions import decide
from tests.browser.second_factor import pass_second_step
from tests.dap.factories import make_submitted
from tests.fraud.factories import ordinary_employer, pattern_2020
from tests.habilitations.factories import make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-1!"


def _log_in(page, live_server, login):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Utilisateur").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    pass_second_step(page, Account.objects.get(login=login))  # agents' second factor


def test_agents_see_the_signals_and_a_second_agent_approves(page, live_server):
    fraud = pattern_2020()
    flagged = make_submitted(fraud.account, fraud.establishment)
    employer = ordinary_employer()
    ordinary = make_submitted(employer.account, employer.establishment)
    first = make_agent(login="agnes.instructrice", password=PASSWORD)
    second = make_agent(login="bruno.instructeur", password=PASSWORD)

    _log_in(page, live_server, first.login)
    page.goto(live_server.url + "/gestion/autorisations/")
    row = page.get_by_role("row").filter(has_text=flagged.reference)
    assert row.get_by_text("Risque élevé").is_visible()
    assert row.get_by_text(re.compile("sans salarié dans SIRENE")).is_visible()
    assert_accessible(page)
    page.get_by_label("Niveau de risque").select_option("eleve")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile("risk=eleve"))
    assert page.get_by_role("link", name=ordinary.reference).count() == 0
    page.get_by_role("link", name=flagged.reference).click()

    page.wait_for_url(re.compile(f"/gestion/autorisations/{flagged.pk}/$"))
    assert page.get_by_role("heading", name=re.compile("Risque élevé")).is_visible()
    assert page.get_by_text(re.compile("domaine de messagerie jetable")).is_visible()
    assert_accessible(page)
    page.get_by_text("Écarter les signaux", exact=True).click()
    page.get_by_label(re.compile("^Motif")).first.fill("Gérant joint au numéro SIRENE.")
    page.get_by_role("button", name="Enregistrer l'examen des signaux").click()
    assert page.get_by_text(re.compile("doit être approuvée par un autre agent")).is_visible()
    decide(page, "Autoriser la demande")
    assert page.get_by_text(
        re.compile("un autre agent que celui qui a écarté les signaux")
    ).is_visible()
    page.goto(live_server.url + "/gestion/fraude/")
    assert page.locator("svg[role=img]").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="DÉCONNEXION").click()

    _log_in(page, live_server, second.login)
    page.goto(live_server.url + f"/gestion/autorisations/{flagged.pk}/")
    decide(page, "Autoriser la demande")
    page.wait_for_url(re.compile("/gestion/autorisations/$"))

    flagged.refresh_from_db()
    assert flagged.status == AuthorisationRequest.Status.ACCEPTED
