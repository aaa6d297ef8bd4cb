"""Each fraud signal is a small pure function: facts in, a reason in French (or nothing) out."""

import datetime

import pytest

from apart.fraud import rules
from apart.fraud.rules import Facts, Thresholds

T = Thresholds()
NOW = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)


def test_no_employees_in_sirene_while_claiming_eight_is_raised():
    finding = rules.workforce_band(Facts(workforce_band="NN", employees_claimed=8), T)

    assert finding is not None
    assert finding.reason == (
        "L'établissement est sans salarié dans SIRENE mais la demande porte sur 8 salarié(s)."
    )


def test_an_unknown_band_while_claiming_employees_is_raised():
    finding = rules.workforce_band(Facts(workforce_band=None, employees_claimed=3), T)

    assert finding is not None and "d'effectif inconnu" in finding.reason


def test_more_employees_than_the_band_is_raised():
    finding = rules.workforce_band(Facts(workforce_band="01", employees_claimed=8), T)

    assert finding is not None and "au plus 2" in finding.reason


def test_employees_within_the_band_raise_nothing():
    assert rules.workforce_band(Facts(workforce_band="11", employees_claimed=8), T) is None


def test_a_legal_unit_created_shortly_before_the_placement_is_raised():
    facts = Facts(
        legal_unit_created=datetime.date(2026, 1, 10), placement_start=datetime.date(2026, 4, 1)
    )

    finding = rules.recent_creation(facts, T)

    assert finding is not None and "créé(e) le 10/01/2026" in finding.reason


def test_an_old_establishment_raises_nothing():
    facts = Facts(
        establishment_created=datetime.date(2015, 3, 1),
        legal_unit_created=datetime.date(2001, 1, 1),
        placement_start=datetime.date(2026, 4, 1),
    )

    assert rules.recent_creation(facts, T) is None


def test_a_disposable_email_domain_is_raised():
    finding = rules.disposable_email(Facts(emails=("gerant@yopmail.com",)), T)

    assert finding is not None and "yopmail.com" in finding.reason


def test_a_company_email_raises_nothing():
    assert rules.disposable_email(Facts(emails=("contact@clean-desk.fr",)), T) is None


@pytest.mark.parametrize(
    ("rule", "field", "code"),
    [
        (rules.iban_shared, "iban_other_sirens", "iban_partage"),
        (rules.email_shared, "email_other_sirens", "courriel_partage"),
        (rules.phone_shared, "phone_other_sirens", "telephone_partage"),
        (rules.address_shared, "address_other_sirens", "adresse_ip_partagee"),
    ],
)
def test_a_value_shared_with_another_siren_is_raised(rule, field, code):
    finding = rule(Facts(**{field: 1}), T)

    assert finding is not None and finding.code == code
    assert "1 autre(s) entreprise(s)" in finding.reason


def test_a_non_sepa_iban_weighs_more_than_a_sepa_one():
    outside = rules.foreign_iban(Facts(iban="MU17BOMM0101101030300200000MUR"), T)
    belgian = rules.foreign_iban(Facts(iban="BE68539007547034"), T)

    assert outside is not None and outside.code == "iban_hors_sepa"
    assert belgian is not None and belgian.code == "iban_etranger"
    assert outside.weight > belgian.weight


def test_a_french_iban_raises_nothing():
    assert rules.foreign_iban(Facts(iban="FR7630006000011234567890189"), T) is None


def test_bank_details_changed_days_before_the_submission_are_raised():
    facts = Facts(bank_changed_at=NOW - datetime.timedelta(days=3), submitted_at=NOW)

    assert rules.recent_bank_change(facts, T) is not None


def test_bank_details_changed_long_before_raise_nothing():
    facts = Facts(bank_changed_at=NOW - datetime.timedelta(days=90), submitted_at=NOW)

    assert rules.recent_bank_change(facts, T) is None


def test_a_burst_from_one_address_is_raised_at_the_threshold():
    assert rules.burst_from_address(Facts(registrations_from_address=5), T) is not None
    assert rules.burst_from_address(Facts(registrations_from_address=4), T) is None


def test_a_burst_of_a_common_webmail_domain_is_not_a_signal():
    facts = Facts(emails=("x@gmail.com",), registrations_from_domain=50)

    assert rules.burst_from_domain(facts, T) is None


def test_thresholds_are_settings_the_operator_can_change():
    facts = Facts(bank_changed_at=NOW - datetime.timedelta(days=10), submitted_at=NOW)

    assert rules.recent_bank_change(facts, Thresholds(bank_change_days=7)) is None


def test_the_level_follows_the_score():
    assert [rules.risk_level(s, T) for s in (0, 1, 2, 5)] == ["aucun", "faible", "moyen", "eleve"]


def test_an_ordinary_employer_raises_nothing():
    facts = Facts(
        workforce_band="11",
        employees_claimed=8,
        emails=("contact@clean-desk.fr",),
        iban="FR7630006000011234567890189",
        legal_unit_created=datetime.date(2001, 1, 1),
        placement_start=datetime.date(2026, 4, 1),
    )

    assert rules.evaluate(facts, T) == []
