import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from apart.accounts.models import Account
from apart.accounts.services import EmailAlreadyUsedError, create_account
from apart.audit.models import AuditEvent
from tests.accounts.factories import make_account

pytestmark = pytest.mark.django_db


def test_the_account_gets_the_login_prenom_nom():
    account, _ = make_account(first_name="Gérard", last_name="Menuça")

    assert account.login == "gerard.menuca"


def test_homonyms_get_the_smallest_free_number():
    logins = [make_account(first_name="Gérard", last_name="Menuça")[0].login for _ in range(3)]

    assert logins == ["gerard.menuca", "gerard.menuca1", "gerard.menuca2"]


def test_a_freed_number_is_reused():
    for _ in range(3):
        make_account(first_name="Gérard", last_name="Menuça")
    Account.objects.filter(login="gerard.menuca1").delete()

    account, _ = make_account(first_name="Gérard", last_name="Menuça")

    assert account.login == "gerard.menuca1"


def test_the_email_is_stored_without_accents_in_lower_case():
    account, _ = make_account(email=" Gérard.Menuça@Exemple.FR ")

    assert account.email == "gerard.menuca@exemple.fr"


def test_an_email_already_used_is_refused_whatever_its_case_and_accents():
    make_account(email="gerard.menuca@exemple.fr")

    with pytest.raises(EmailAlreadyUsedError):
        make_account(email="GÉRARD.menuca@exemple.fr")
    assert Account.objects.count() == 1


def test_the_temporary_password_logs_in_and_must_be_changed():
    account, password = make_account()

    assert account.check_password(password)
    assert account.must_change_password
    assert account.temporary_password_used_at is None


def test_the_temporary_password_is_valid_for_the_configured_days(settings):
    settings.APART_TEMPORARY_PASSWORD_DAYS = 30
    account, _ = make_account()

    expected = timezone.now() + timedelta(days=30)
    assert abs(account.temporary_password_expires_at - expected) < timedelta(minutes=1)


def test_the_secret_answer_is_stored_hashed():
    account, _ = make_account(secret_answer="Mille deux cents")

    assert account.secret_answer_hash.startswith("argon2$")
    assert "Mille" not in account.secret_answer_hash


def test_the_creation_is_audited():
    account, _ = make_account()

    event = AuditEvent.objects.get(action="account.created")
    assert event.account == account
    assert event.new_values["login"] == account.login


def test_an_administrator_is_staff_an_employer_is_not():
    admin, _ = make_account(role=Account.Role.ADMINISTRATOR)
    employer, _ = make_account()

    assert admin.is_staff
    assert not employer.is_staff


def test_it_runs_inside_the_callers_transaction_and_rolls_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        make_account()
        raise RuntimeError("the registration failed later")

    assert not Account.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError):
        make_account(role="pirate")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_of_the_same_name_both_succeed_with_different_logins():
    workers = 6
    barrier = threading.Barrier(workers)
    logins: list[str] = []
    errors: list[BaseException] = []

    def register(n: int) -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                account, _ = create_account(
                    first_name="Gérard",
                    last_name="Menuça",
                    email=f"gerard{n}@exemple.fr",
                    phone="",
                    secret_question="q",
                    secret_answer="r",
                )
                logins.append(account.login)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(logins) == ["gerard.menuca"] + [f"gerard.menuca{n}" for n in range(1, workers)]
