"""« Mes Etablissements » on the dashboard: the first five by name and the total; past five, a
search that opens the list (search by name, SIRET or town, pages of 20); never another
employer's establishments."""

import html

import pytest

from apart.habilitations.models import Habilitation
from tests.space.factories import (
    employer_with_establishments,
    habilitate,
    log_in,
    make_employer,
    make_establishment,
)

pytestmark = pytest.mark.django_db

SEARCH_FORM = 'action="/espace/etablissements/" role="search"'


def _page(client, url="/espace/"):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _names(account):
    habilitation = Habilitation.objects.get(account=account)
    return list(habilitation.establishments.order_by("denomination").values_list("denomination"))


def _section(page):
    start = page.index('id="mes-etablissements"')
    return page[start : page.index("Voir tous mes Etablissements", start)]


def test_past_five_the_dashboard_shows_the_first_five_the_total_and_a_search(client):
    account = employer_with_establishments(7)
    log_in(client, account)

    section = _section(_page(client))

    names = [name for (name,) in _names(account)]
    for name in names[:5]:
        assert name in section
    for name in names[5:]:
        assert name not in section
    assert ">7</span>" in section
    assert "Les 5 premiers de vos 7 établissements, par nom." in section
    assert SEARCH_FORM in section
    assert '<label class="fr-label" for="recherche-mes-etablissements-input">' in section
    assert 'name="q"' in section


def test_the_dashboard_search_opens_the_list_on_what_was_typed(client):
    account = employer_with_establishments(6)
    bakery = make_establishment(main_contact=account, denomination="ZZ BOULANGERIE")
    Habilitation.objects.get(account=account).establishments.add(bakery)
    log_in(client, account)
    assert "ZZ BOULANGERIE" not in _section(_page(client))

    listed = _page(client, f"/espace/etablissements/?q={bakery.siret}")

    table = listed[listed.index("<tbody>") :]
    assert "ZZ BOULANGERIE" in table
    assert "CLEAN DESK" not in table


def test_with_five_or_fewer_there_is_no_search_on_the_dashboard(client):
    account = employer_with_establishments(5)
    log_in(client, account)

    section = _section(_page(client))

    assert all(name in section for (name,) in _names(account))
    assert ">5</span>" in section
    assert SEARCH_FORM not in section
    assert "premiers de vos" not in section


def test_without_establishment_the_dashboard_says_so(client):
    account = employer_with_establishments(1)
    Habilitation.objects.get(account=account).establishments.clear()
    log_in(client, account)

    section = _section(_page(client))

    assert "Aucun établissement n'est rattaché à votre compte." in section
    assert ">0</span>" in section
    assert SEARCH_FORM not in section


def test_another_employers_establishments_never_appear(client):
    account = employer_with_establishments(6)
    stranger = make_employer()
    theirs = [make_establishment(main_contact=stranger, denomination=f"AAA {i}") for i in range(3)]
    habilitate(stranger, *theirs)
    # Main contact of it, but on someone else's pending habilitation only: not a member.
    waiting = make_establishment(main_contact=account, denomination="AAA EN ATTENTE")
    habilitate(make_employer(), waiting, status="pending")
    log_in(client, account)

    page = _page(client)
    listed = _page(client, f"/espace/etablissements/?q={theirs[0].siret}")

    assert "AAA" not in page
    assert ">6</span>" in _section(page)
    assert "AAA" not in listed[listed.index("établissement") :]
    assert "0 établissement" in listed
