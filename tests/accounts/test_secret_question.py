import pytest

from apart.accounts.services import check_secret_answer, set_secret_question
from apart.audit.models import AuditEvent
from tests.accounts.factories import make_account

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Mille deux cents", "mille DEUX cents", "  Mille   deux cênts "])
def test_the_answer_matches_whatever_its_case_accents_and_spaces(typed):
    account, _ = make_account(secret_answer="Mille deux cents")

    assert check_secret_answer(account=account, answer=typed)


def test_a_wrong_answer_does_not_match():
    account, _ = make_account(secret_answer="Mille deux cents")

    assert not check_secret_answer(account=account, answer="Mille trois cents")


def test_an_account_without_answer_matches_nothing():
    account, _ = make_account(secret_answer="")

    assert not check_secret_answer(account=account, answer="")


def test_changing_the_question_replaces_the_answer_and_is_audited():
    account, _ = make_account(secret_answer="Mille deux cents")

    set_secret_question(account=account, question="Ville de naissance ?", answer="Orléans")

    account.refresh_from_db()
    assert account.secret_question == "Ville de naissance ?"
    assert check_secret_answer(account=account, answer="orleans")
    assert not check_secret_answer(account=account, answer="Mille deux cents")
    assert AuditEvent.objects.filter(action="account.secret_question_set").count() == 1


def test_an_empty_answer_is_refused():
    account, _ = make_account()

    with pytest.raises(ValueError):
        set_secret_question(account=account, question="Question ?", answer="   ")
