import pytest

from apart.establishments.completeness import (
    COMPLETE,
    INCOMPLETE,
    is_complete,
    missing_items,
    status_label,
)
from apart.establishments.models import Establishment
from tests.space.factories import complete_fiche, make_employer, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def establishment():
    return make_establishment(main_contact=make_employer())


def _fresh(establishment):
    return Establishment.objects.select_related("fiche").get(pk=establishment.pk)


def test_an_establishment_never_filled_in_is_incomplete_and_says_everything_missing(establishment):
    assert status_label(establishment) == INCOMPLETE
    assert missing_items(establishment) == [
        "Nom du contact",
        "Prénom du contact",
        "Fonction du contact",
        "Courriel du contact",
        "Téléphone du contact",
        "Effectif",
        "Code NAF",
        "Convention collective (IDCC)",
        "IBAN",
        "BIC",
        "Titulaire du compte",
    ]


def test_a_fiche_with_every_needed_value_is_complete(establishment):
    complete_fiche(establishment)
    assert status_label(_fresh(establishment)) == COMPLETE
    assert missing_items(_fresh(establishment)) == []


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"iban": ""}, "IBAN"),
        ({"iban": "FR7630006000011234567890188"}, "IBAN"),
        ({"bic": "DEUTDEFF"}, "BIC"),
        ({"account_holder": " "}, "Titulaire du compte"),
        ({"workforce": 0}, "Effectif"),
        ({"workforce": None}, "Effectif"),
        ({"idcc": ""}, "Convention collective (IDCC)"),
        ({"naf_code": ""}, "Code NAF"),
        ({"contact_role": ""}, "Fonction du contact"),
    ],
)
def test_one_missing_or_invalid_value_makes_the_fiche_incomplete(establishment, overrides, missing):
    complete_fiche(establishment, **overrides)
    assert missing_items(_fresh(establishment)) == [missing]
    assert not is_complete(_fresh(establishment))


def test_another_mail_address_must_be_given_in_full(establishment):
    complete_fiche(establishment, mail_same_address=False, mail_street="3 rue Haute")
    assert missing_items(_fresh(establishment)) == ["Adresse postale de correspondance"]
    complete_fiche(
        establishment,
        mail_same_address=False,
        mail_street="3 rue Haute",
        mail_postal_code="69003",
        mail_city="LYON",
    )
    assert is_complete(_fresh(establishment))


def test_the_establishment_address_is_part_of_completeness(establishment):
    complete_fiche(establishment)
    Establishment.objects.filter(pk=establishment.pk).update(street_name="")
    assert missing_items(_fresh(establishment)) == ["Adresse de l'établissement"]
