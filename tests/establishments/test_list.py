import pytest

from apart.habilitations.models import Habilitation
from tests.space.factories import employer_with_establishments, log_in, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    account = employer_with_establishments(1)
    log_in(client, account)
    return account


def _add(owner, **fields):
    establishment = make_establishment(main_contact=owner, **fields)
    Habilitation.objects.get(account=owner).establishments.add(establishment)
    return establishment


def test_the_list_searches_by_name_siret_and_town(client, owner):
    bakery = _add(owner, denomination="BOULANGERIE DES TILLEULS", city="LYON")

    by_name = client.get("/espace/etablissements/?q=tilleul").content.decode()
    by_town = client.get("/espace/etablissements/?q=lyon").content.decode()
    by_siret = client.get(f"/espace/etablissements/?q={bakery.siret}").content.decode()

    for page in (by_name, by_town, by_siret):
        table = page[page.index("<tbody>") :]
        assert "BOULANGERIE DES TILLEULS" in table
        assert "CLEAN DESK" not in table


def test_the_list_sorts_by_town(client, owner):
    _add(owner, denomination="AAA", city="ZANZIBAR")
    _add(owner, denomination="ZZZ", city="ANNECY")

    page = client.get("/espace/etablissements/?tri=ville").content.decode()

    assert page.index("ANNECY") < page.index("PARIS") < page.index("ZANZIBAR")


def test_the_list_is_paginated(client, owner):
    for _ in range(25):
        _add(owner)

    first = client.get("/espace/etablissements/").content.decode()
    second = client.get("/espace/etablissements/?page=2").content.decode()

    assert "26 établissements" in first
    assert (
        first.count('href="/espace/etablissements/') - second.count('href="/espace/etablissements/')
        > 0
    )
    assert 'class="fr-pagination"' in first
    assert 'aria-current="page" title="Page 2"' in second


def test_nonsense_parameters_fall_back_to_defaults(client, owner):
    response = client.get("/espace/etablissements/?tri=%00&page=abc&q=%00" + "x" * 500)

    assert response.status_code == 200
