import pytest

from apart.accounts.logins import base_login, smallest_free_login


@pytest.mark.parametrize(
    ("first_name", "last_name", "login"),
    [
        ("Gérard", "Menuça", "gerard.menuca"),
        ("ilmen", "FoPlus", "ilmen.foplus"),
        ("Jean-Christophe", "Martig", "jean-christophe.martig"),
        ("Jean Christophe", "Martig", "jean-christophe.martig"),
        ("Anne", "D'Artagnan", "anne.d-artagnan"),
        ("Anne", "d’Artagnan", "anne.d-artagnan"),
        ("Zoë", "Le  Bœuf", "zoe.le-boeuf"),
        ("Jürgen", "Straße", "jurgen.strasse"),
        ("Louis2", "XIV (roi)", "louis.xiv-roi"),
        ("  -Émile- ", "Zola", "emile.zola"),
        ("李", "Wang", "wang"),
        ("李", "王", "utilisateur"),
        ("A\x00b", "C\u202ed", "ab.cd"),
    ],
)
def test_login_is_first_name_dot_last_name_in_lower_case_ascii(first_name, last_name, login):
    assert base_login(first_name=first_name, last_name=last_name) == login


def test_a_very_long_name_leaves_room_for_the_number():
    login = base_login(first_name="a" * 100, last_name="b" * 100)

    assert len(login) <= 140


def test_the_base_login_is_used_when_free():
    assert smallest_free_login("gerard.menuca", {"gerard.menucax"}) == "gerard.menuca"


def test_the_smallest_free_number_is_appended_when_taken():
    taken = {"gerard.menuca", "gerard.menuca1", "gerard.menuca3"}

    assert smallest_free_login("gerard.menuca", taken) == "gerard.menuca2"
