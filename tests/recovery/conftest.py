import pytest

from apart.accounts.models import Account
from tests.accounts.factories import make_active_account
from tests.recovery.helpers import ANSWER, QUESTION


@pytest.fixture
def account(db) -> Account:
    return make_active_account(
        first_name="Gérard",
        last_name="Menuça",
        email="gerard.menuca@exemple.fr",
        secret_question=QUESTION,
        secret_answer=ANSWER,
    )
