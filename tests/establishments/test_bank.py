import pytest
from django.core.exceptions import ValidationError

from apart.establishments import bank
from apart.establishments.forms.fiche import BankDetailsForm

VALID_FR_IBAN = "FR76 3000 6000 0112 3456 7890 189"


def test_a_valid_french_iban_is_kept_compact():
    assert bank.clean_iban(VALID_FR_IBAN) == "FR7630006000011234567890189"


def test_an_iban_typed_in_lower_case_with_dashes_is_accepted():
    assert bank.clean_iban("fr76-3000-6000-0112-3456-7890-189") == "FR7630006000011234567890189"


def test_an_iban_with_a_wrong_checksum_is_refused_with_its_reason():
    with pytest.raises(ValidationError) as refused:
        bank.clean_iban("FR76 3000 6000 0112 3456 7890 188")
    assert refused.value.messages == [bank.IBAN_BAD_CHECKSUM]


@pytest.mark.parametrize(
    "typed", ["FR7630006", "XX12", "FR76 3000 6000 0112 3456 7890 189 99", "\x00"]
)
def test_a_malformed_iban_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        bank.clean_iban(typed)
    assert refused.value.messages == [bank.INVALID_IBAN]


def test_a_valid_bic_is_accepted_in_8_or_11_characters():
    assert bank.clean_bic("agrifrpp882") == "AGRIFRPP882"
    assert bank.clean_bic("BNPAFRPP") == "BNPAFRPP"


@pytest.mark.parametrize("typed", ["BNPAFRP", "BNPA1RPP", "BNPAFRPPXXXX", "12345678"])
def test_a_bad_bic_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        bank.clean_bic(typed)
    assert refused.value.messages == [bank.INVALID_BIC]


def test_the_iban_is_masked_but_for_its_country_check_digits_and_last_characters():
    assert bank.mask_iban("FR7630006000011234567890189") == "FR76 **** **** **** **** **** 189"


def test_the_bic_must_be_of_the_iban_country():
    form = BankDetailsForm(
        {"iban": VALID_FR_IBAN, "bic": "DEUTDEFF", "account_holder": "CLEAN DESK"}
    )
    assert not form.is_valid()
    assert form.errors["bic"] == [bank.BIC_COUNTRY_MISMATCH]


def test_an_overseas_iban_goes_with_a_french_bic():
    assert bank.bic_matches_iban(iban="RE7630006000011234567890189", bic="AGRIFRPP882")
