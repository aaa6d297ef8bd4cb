import pytest
from stdnum import luhn

from apart.directory.siret import (
    LA_POSTE_HEAD_OFFICE_SIRET,
    SIRET_CHARACTERS_MESSAGE,
    SIRET_CHECKSUM_MESSAGE,
    SIRET_LENGTH_MESSAGE,
    SiretError,
    clean_siren,
    clean_siret,
    is_valid_siret,
)


@pytest.mark.parametrize(
    "typed",
    ["81234567600017", "812 345 676 00017", "812.345.676.00017", " 812\u00a0345 676 00017 "],
)
def test_spaces_and_dots_are_tolerated(typed):
    assert clean_siret(typed) == "81234567600017"


def test_a_siret_of_another_length_is_refused():
    with pytest.raises(SiretError) as error:
        clean_siret("8123456760001")
    assert error.value.message == "Le numéro de Siret doit comporter 14 chiffres."
    assert error.value.message == SIRET_LENGTH_MESSAGE


def test_an_empty_siret_is_refused_for_its_length():
    with pytest.raises(SiretError, match=SIRET_LENGTH_MESSAGE):
        clean_siret("")


@pytest.mark.parametrize(
    "typed", ["81234567600A17", "812-345-676-00017", "８１２３４５６７６０００１７"]
)
def test_a_siret_with_other_characters_than_digits_is_refused(typed):
    with pytest.raises(SiretError) as error:
        clean_siret(typed)
    assert error.value.message == "Le numéro de Siret ne doit contenir que des chiffres."
    assert error.value.message == SIRET_CHARACTERS_MESSAGE


def test_a_siret_with_a_wrong_check_key_is_refused():
    with pytest.raises(SiretError) as error:
        clean_siret("81234567600018")
    assert error.value.message == "Ce numéro de Siret n'est pas valide : vérifiez sa saisie."
    assert error.value.message == SIRET_CHECKSUM_MESSAGE


def test_siret_error_is_a_value_error():
    assert issubclass(SiretError, ValueError)


def test_la_poste_head_office_is_valid_by_luhn():
    assert LA_POSTE_HEAD_OFFICE_SIRET == "35600000000048"
    assert luhn.is_valid(LA_POSTE_HEAD_OFFICE_SIRET)
    assert clean_siret("356 000 000 00048") == "35600000000048"


def test_la_poste_offices_are_valid_when_their_digit_sum_is_a_multiple_of_5():
    office = "35600000049837"
    assert not luhn.is_valid(office), "this office would fail a plain Luhn check"
    assert sum(map(int, office)) % 5 == 0
    assert is_valid_siret(office)


def test_a_la_poste_office_whose_digit_sum_is_not_a_multiple_of_5_is_refused():
    with pytest.raises(SiretError, match="vérifiez sa saisie"):
        clean_siret("35600000049838")


def test_is_valid_siret_answers_without_raising():
    assert is_valid_siret("81234567600017")
    assert not is_valid_siret("81234567600018")
    assert not is_valid_siret("abc")


def test_siren_rules():
    assert clean_siren("812 345 676") == "812345676"
    with pytest.raises(SiretError, match="9 chiffres"):
        clean_siren("81234567")
    with pytest.raises(SiretError, match="vérifiez sa saisie"):
        clean_siren("812345677")
