"""An agent approves a request in the back office; the user can then log in (Chromium)."""

import re

import pytest
from playwright.sync_api import expect

from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from tests.browser.axe import assert_accessible
from tests.browser.decisions import decide
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
    decide(page, "Approuver la demande")
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


def test_a_refusal_sent_without_the_confirmation_is_explained_on_the_box_and_kept(
    page, live_server
):
    habilitation = make_habilitation(account=make_account(login="ilmen.foplus"))
    agent = make_agent(login="agnes.instructrice", password=PASSWORD)
    _log_in(page, live_server, agent.login)
    pass_second_step(page, agent)
    page.goto(live_server.url + f"/gestion/demandes/{habilitation.pk}/")
    refuse = page.get_by_role("form", name="Refuser")
    refuse.get_by_label("Motif du refus").fill("SIRET sans rapport avec le demandeur")

    # From the keyboard only: Enter on the button, the box left unticked.
    refuse.get_by_role("button", name="Refuser la demande").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    refuse = page.get_by_role("form", name="Refuser")
    box = refuse.get_by_role("checkbox", name="Je confirme cette décision")
    expect(box).to_have_accessible_description(
        re.compile("Cochez « Je confirme cette décision » pour enregistrer la décision")
    )
    expect(refuse.get_by_label("Motif du refus")).to_have_value(
        "SIRET sans rapport avec le demandeur"
    )
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.PENDING
    assert_accessible(page)
    decide(page, "Refuser la demande")
    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.REJECTED
