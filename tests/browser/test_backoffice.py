"""An agent approves a request in the back office; the user can then log in (Chromium)."""

import re

import pytest

from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from tests.browser.axe import assert_accessible
from tests.browser.second_factor import pass_second_step
from tests.habilitations.factories import make_account, make_agent, make_habilitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Correct-horse-1!"


def _log_in(page, live_server, login):
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Utilisateur").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_an_agent_approves_a_request_and_the_user_then_logs_in(page, live_server):
    employer = make_account(login="ilmen.foplus", password=PASSWORD)
    habilitation = make_habilitation(account=employer)
    agent = make_agent(login="agnes.instructrice", password=PASSWORD)

    _log_in(page, live_server, employer.login)
    assert page.get_by_text("Votre demande d'habilitation est en cours de traitement.").is_visible()

    _log_in(page, live_server, agent.login)
    pass_second_step(page, agent)
    page.goto(live_server.url + "/gestion/")
    assert page.get_by_role("heading", name="Gestion de l'Activité Partielle").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Traiter les demandes").click()
    page.wait_for_url(re.compile("/gestion/demandes/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Instruire la demande de ilmen.foplus").click()
    page.wait_for_url(re.compile(f"/gestion/demandes/{habilitation.pk}/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Approuver la demande").click()
    page.wait_for_url(re.compile("/gestion/demandes/$"))
    assert page.get_by_text(re.compile("Habilitation de ilmen.foplus approuvée")).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="DÉCONNEXION").click()

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.ACTIVE
    assert OutboundEmail.objects.get(account=employer).subject == (
        "Habilitation à l'activité partielle"
    )
    _log_in(page, live_server, employer.login)
    page.wait_for_url(re.compile("/espace/"))
    assert page.locator(".fr-header__tools-links").get_by_text("ilmen.foplus").is_visible()
