import pytest

from apart.core.normalize import fold, normalize_email


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Cylindrée", "cylindree"),
        ("  Gérard   MENUÇA ", "gerard menuca"),
        ("Straße", "strasse"),
        ("\tÉlodie\n", "elodie"),
    ],
)
def test_fold_removes_accents_case_and_extra_spaces(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        (" Gérard.Menuça@Exemple.FR ", "gerard.menuca@exemple.fr"),
        ("apart2.martig@yopmail.com", "apart2.martig@yopmail.com"),
    ],
)
def test_emails_are_stored_without_accents_in_lower_case(raw, normalized):
    assert normalize_email(raw) == normalized
