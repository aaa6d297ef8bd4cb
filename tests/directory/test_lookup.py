from io import StringIO

import pytest
from django.core.management import call_command

from apart.directory.demo import samples
from apart.directory.lookup import LookupStatus, SireneEstablishment, lookup_siret
from tests.directory.factories import make_directory_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_directory():
    call_command("load_demo_data", stdout=StringIO(), stderr=StringIO())


def test_an_open_diffusible_establishment_is_found_with_its_address(demo_directory):
    result = lookup_siret(samples.DEMO_OPEN_SIRET)

    assert result.status == LookupStatus.FOUND
    assert result.establishment == SireneEstablishment(
        siret="81234567600017",
        siren="812345676",
        denomination="BOULANGERIE DES TILLEULS",
        street_number="12",
        street_number_extension="bis",
        street_type="Rue",
        street_name="DES TILLEULS",
        address_complement="BATIMENT A",
        postal_code="75011",
        city="PARIS 11",
        is_head_office=True,
        naf_code="10.71C",
        workforce_bracket=result.establishment.workforce_bracket,
        diffusible=True,
        active=True,
    )


def test_spaces_and_dots_in_the_siret_are_tolerated(demo_directory):
    assert lookup_siret("812 345 676 000.17").status == LookupStatus.FOUND


def test_an_entrepreneur_individuel_is_named_by_first_name_and_name(demo_directory):
    result = lookup_siret(samples.DEMO_INDIVIDUAL_SIRET)

    assert result.establishment.denomination == "CAMILLE MARTIN"
    assert result.establishment.street_number_extension == "ter"
    assert result.establishment.street_type == "Impasse"


def test_a_closed_establishment_is_reported_closed(demo_directory):
    result = lookup_siret(samples.DEMO_CLOSED_SIRET)

    assert result.status == LookupStatus.CLOSED
    assert result.establishment.active is False


def test_a_non_diffusible_establishment_prefills_only_siret_postal_code_and_commune(
    demo_directory,
):
    result = lookup_siret(samples.DEMO_NON_DIFFUSIBLE_SIRET)

    assert result.status == LookupStatus.NON_DIFFUSIBLE
    assert result.establishment == SireneEstablishment(
        siret="83456789300013",
        postal_code="44000",
        city="NANTES",
        diffusible=False,
        active=True,
    )


def test_an_establishment_of_a_non_diffusible_person_stays_hidden():
    make_directory_establishment(siret="90456789800013", diffusion="O")
    from apart.directory.models import LegalUnit

    LegalUnit.objects.filter(siren="904567898").update(diffusion="P")

    assert lookup_siret("90456789800013").status == LookupStatus.NON_DIFFUSIBLE


def test_a_la_poste_office_is_found(demo_directory):
    from apart.directory.models import DirectoryEstablishment

    office = DirectoryEstablishment.objects.filter(siren="356000000", is_head_office=False)
    office = office.filter(state="A").first()

    result = lookup_siret(office.siret)

    assert result.status == LookupStatus.FOUND
    assert result.establishment.denomination == "LA POSTE"


def test_an_overseas_establishment_keeps_its_postal_code(demo_directory):
    result = lookup_siret(samples.DEMO_OVERSEAS_SIRET)

    assert (result.establishment.postal_code, result.establishment.city) == ("97400", "SAINT-DENIS")


def test_a_siret_absent_from_the_directory_is_unknown(demo_directory):
    result = lookup_siret(samples.DEMO_UNKNOWN_SIRET)

    assert result.status == LookupStatus.UNKNOWN
    assert result.establishment is None


@pytest.mark.parametrize("typed", ["", "123", "ABCDEFGHIJKLMN", "8123456760001７"])
def test_malformed_input_is_unknown(typed):
    assert lookup_siret(typed).status == LookupStatus.UNKNOWN


def test_the_usual_name_stands_in_when_the_legal_unit_is_missing():
    make_directory_establishment(siret="90456789800013", usual_name="CHEZ PAULETTE")
    from apart.directory.models import LegalUnit

    LegalUnit.objects.all().delete()

    assert lookup_siret("90456789800013").establishment.denomination == "CHEZ PAULETTE"


def test_an_unknown_street_type_code_is_shown_as_it_came():
    make_directory_establishment(siret="90456789800013", street_type="XYZ")

    assert lookup_siret("90456789800013").establishment.street_type == "Xyz"


def test_the_insee_api_answers_when_the_local_directory_does_not_know(sirene_api):
    sirene_api.answer("90123456700013", 200, "siret_90123456700013.json")

    result = lookup_siret("90123456700013")

    assert result.status == LookupStatus.FOUND
    assert result.establishment.denomination == "ATELIERS DU VIEUX PORT"
    assert len(sirene_api.requests) == 1


def test_the_insee_api_is_not_called_for_a_siret_known_locally(sirene_api, demo_directory):
    assert lookup_siret(samples.DEMO_OPEN_SIRET).status == LookupStatus.FOUND
    assert sirene_api.requests == []


def test_an_unavailable_insee_api_is_said_so_not_taken_for_unknown(sirene_api):
    sirene_api.answer("90123456700013", 503, body=b"<html>maintenance</html>")

    assert lookup_siret("90123456700013").status == LookupStatus.UNAVAILABLE


def test_without_api_configuration_only_the_local_directory_is_used(settings):
    settings.APART_SIRENE_API_URL = ""

    assert lookup_siret("90123456700013").status == LookupStatus.UNKNOWN
