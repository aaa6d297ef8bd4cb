import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apart.habilitations.models import Habilitation
from tests.habilitations.factories import make_agent
from tests.space.factories import (
    complete_fiche,
    employer_with_establishments,
    log_in,
    make_employer,
    make_establishment,
)

pytestmark = pytest.mark.django_db

INCOMPLETE_TITLE = "Votre fiche établissement est incomplète !"
INCOMPLETE_TEXT = (
    "La création d'une demande d'autorisation préalable est impossible tant que "
    "votre fiche établissement n'est pas complète."
)


def _page(client, url):
    return html.unescape(client.get(url).content.decode())


def _establishments(account):
    habilitation = Habilitation.objects.get(account=account)
    return list(habilitation.establishments.order_by("denomination"))


def test_the_dashboard_greets_the_person_with_the_guide_menu_and_entries(client):
    account = employer_with_establishments(1)
    log_in(client, account)

    page = _page(client, "/espace/")

    for text in (
        "ÉTABLISSEMENTS",
        "DEMANDES D'AUTORISATION PRÉALABLE",
        "DÉCISIONS D'AUTORISATION",
        "DEMANDES D'INDEMNISATION",
        "BONJOUR,",
        account.login,
        "DEMANDE CRÉATION DE COMPTE",
        "DÉCONNEXION",
        "BESOIN D'AIDE ?",
        "Mes Etablissements",
        "Voir tous mes Etablissements",
        "Mes Demandes d'Autorisation Préalable",
        "Mes Décisions d'Autorisation",
        "Mes Demandes d'Indemnisation",
        "Voir toutes mes DAP",
        "Voir toutes mes DI",
    ):
        assert text in page, text


def test_mes_etablissements_shows_name_siret_town_and_status(client):
    account = employer_with_establishments(1)
    [establishment] = _establishments(account)
    log_in(client, account)

    page = _page(client, "/espace/")

    assert establishment.denomination in page
    assert establishment.siret in page
    assert establishment.city in page
    assert "Incomplète" in page


def test_an_incomplete_current_fiche_shows_the_warning_and_disables_dap_creation(client):
    account = employer_with_establishments(1)
    log_in(client, account)

    page = _page(client, "/espace/")

    assert INCOMPLETE_TITLE in page
    assert INCOMPLETE_TEXT in page
    assert (
        '<button type="button" class="fr-btn" disabled aria-describedby="dap-create-reason">'
        "Créer une nouvelle demande</button>" in page
    )


def test_a_complete_current_fiche_shows_no_warning_and_enables_dap_creation(client):
    account = employer_with_establishments(1)
    [establishment] = _establishments(account)
    complete_fiche(establishment)
    log_in(client, account)

    page = _page(client, "/espace/")

    assert INCOMPLETE_TITLE not in page
    assert "Complète" in page
    assert (
        f'<a class="fr-btn" href="/espace/demandes-autorisation/nouvelle/?etablissement='
        f'{establishment.pk}">Créer une nouvelle demande</a>' in page
    )


def test_the_person_chooses_the_current_establishment(client):
    account = employer_with_establishments(2)
    first, second = _establishments(account)
    complete_fiche(first)
    log_in(client, account)
    assert INCOMPLETE_TITLE not in _page(client, "/espace/")

    client.get("/espace/etablissements/")
    response = client.post("/espace/etablissement-courant/", {"establishment": second.pk})

    assert response.status_code == 302
    page = _page(client, "/espace/")
    assert INCOMPLETE_TITLE in page
    assert f"<strong>{second.denomination}</strong>" in page


def test_another_persons_establishment_cannot_become_current(client):
    account = employer_with_establishments(1)
    stranger = make_establishment(main_contact=make_employer())
    log_in(client, account)
    client.get("/espace/etablissements/")

    response = client.post("/espace/etablissement-courant/", {"establishment": stranger.pk})

    assert response.status_code == 404


def _dashboard_queries(client, count):
    account = employer_with_establishments(count)
    log_in(client, account)
    client.get("/espace/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/espace/")
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_query_count_does_not_grow_with_the_establishments(client):
    with_one = _dashboard_queries(client, 1)
    client.logout()
    with_200 = _dashboard_queries(client, 200)

    assert with_200 == with_one
    assert with_one <= 8


def test_the_space_requires_login(client):
    response = client.get("/espace/")

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/espace/")


def test_agents_have_no_employer_space(client):
    agent = make_agent(password="Agent-Mot2passe!")
    client.force_login(agent)

    assert client.get("/espace/").status_code == 403


def test_a_temporary_password_leads_to_the_password_change_first(client):
    account = employer_with_establishments(1)
    account.must_change_password = True
    account.save()
    client.force_login(account)

    response = client.get("/espace/")

    assert response.status_code == 302
    assert response["Location"] == "/changement-mot-de-passe/"


def test_the_help_page_is_public_and_gives_the_assistance_line(client, settings):
    page = _page(client, "/aide/")

    assert "BESOIN D'AIDE ?" in page
    assert settings.APART_ASSISTANCE_PHONE in page
    assert settings.APART_ASSISTANCE_HOURS in page
    for question in (
        "Première connexion",
        "Vous avez oublié votre mot de passe",
        "Vous avez oublié votre identifiant",
    ):
        assert question in page


def test_the_home_page_and_the_space_link_to_the_help_page(client):
    assert 'href="/aide/"' in client.get("/").content.decode()
    account = employer_with_establishments(1)
    log_in(client, account)
    assert 'href="/aide/"' in client.get("/espace/etablissements/").content.decode()
