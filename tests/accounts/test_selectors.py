import pytest

from apart.accounts.selectors import account_by_email, account_by_login
from tests.accounts.factories import make_account

pytestmark = pytest.mark.django_db


def test_account_by_email_ignores_case_and_accents():
    account, _ = make_account(email="gerard.menuca@exemple.fr")

    assert account_by_email(" GÉRARD.Menuça@exemple.fr") == account


def test_account_by_login_ignores_case_and_surrounding_spaces():
    account, _ = make_account(first_name="Ilmen", last_name="Foplus")

    assert account_by_login(" Ilmen.FoPlus ") == account


@pytest.mark.parametrize("typed", ["", "ilmen\x00foplus", "x" * 10_000, "\ud800"])
def test_odd_input_finds_nobody_without_error(typed):
    make_account()

    assert account_by_login(typed) is None
    assert account_by_email(typed) is None
