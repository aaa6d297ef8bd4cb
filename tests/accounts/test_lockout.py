import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from apart.accounts.authentication import paris_time
from apart.audit.models import AuditEvent
from tests.accounts import counting_hasher
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login
from tests.conftest import CsrfClient

pytestmark = pytest.mark.django_db

WRONG = "Mauvais-Mot2passe"
LOCKED = "Votre compte est temporairement verrouillé"


def fail(client, login, times):
    return [submit_login(client, login, WRONG) for _ in range(times)]


def test_four_failures_do_not_lock_the_account(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 4)

    assert submit_login(client, "ilmen.foplus", STRONG_PASSWORD).url == "/espace/"


def test_the_fifth_failure_locks_the_account_and_says_until_when_in_paris_time(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    responses = fail(client, "ilmen.foplus", 5)

    html = responses[-1].content.decode()
    assert LOCKED in html
    expected = paris_time(timezone.now() + timedelta(minutes=15))
    assert expected.split(" à ")[0] in html


def test_a_locked_account_refuses_even_the_right_password(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 5)

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_configured_duration(client, settings):
    settings.APART_LOGIN_LOCKOUT_SECONDS = 0
    make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 5)

    assert submit_login(client, "ilmen.foplus", STRONG_PASSWORD).url == "/espace/"


def test_the_number_of_failures_comes_from_the_settings(client, settings):
    settings.APART_LOGIN_MAX_FAILURES = 2
    make_active_account(first_name="Ilmen", last_name="Foplus")

    responses = fail(client, "ilmen.foplus", 2)

    assert LOCKED in responses[-1].content.decode()


def test_a_success_clears_the_failures(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 4)
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    client.post("/deconnexion/", {})

    responses = fail(client, "ilmen.foplus", 4)

    assert LOCKED not in responses[-1].content.decode()


def test_an_unknown_login_is_locked_the_same_way(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    known = fail(client, "ilmen.foplus", 5)[-1]
    unknown = fail(CsrfClient(), "personne.inconnue", 5)[-1]

    assert unknown.status_code == known.status_code == 200
    assert LOCKED in unknown.content.decode()


def test_the_lock_is_audited(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 5)

    event = AuditEvent.objects.get(action="account.locked")
    assert event.account == account
    assert "locked_until" in event.new_values


def test_the_lock_of_one_login_does_not_touch_another(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    make_active_account(first_name="Gérard", last_name="Menuça")
    fail(client, "ilmen.foplus", 5)

    assert submit_login(client, "gerard.menuca", STRONG_PASSWORD).url == "/espace/"


def test_too_many_attempts_from_one_address_are_refused(client, settings):
    settings.APART_LOGIN_IP_MAX_ATTEMPTS = 3
    for n in range(3):
        submit_login(client, f"personne{n}.inconnue", WRONG)

    response = submit_login(client, "autre.personne", WRONG)

    assert "Trop de tentatives de connexion depuis votre adresse" in response.content.decode()


def test_the_lock_message_names_the_reset_link_that_lifts_it(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    html = fail(client, "ilmen.foplus", 5)[-1].content.decode()

    assert "Pour le débloquer tout de suite" in html


def test_an_address_that_caused_too_many_lockouts_is_refused(client, settings):
    settings.APART_LOGIN_IP_MAX_LOCKS = 2
    for name in ("un", "deux"):
        fail(client, f"victime.{name}", 5)

    response = submit_login(client, "victime.trois", WRONG)

    assert "Trop de tentatives de connexion depuis votre adresse" in response.content.decode()


def test_lockouts_caused_from_another_address_do_not_refuse_the_victim_address(settings):
    settings.APART_LOGIN_IP_MAX_LOCKS = 1
    make_active_account(first_name="Ilmen", last_name="Foplus")
    attacker = CsrfClient(REMOTE_ADDR="203.0.113.9")
    fail(attacker, "quelqu.un", 5)

    victim = CsrfClient(REMOTE_ADDR="198.51.100.7")
    assert submit_login(victim, "ilmen.foplus", STRONG_PASSWORD).url == "/espace/"


def test_a_password_reset_lifts_the_lock(client):
    from apart.accounts.authentication import locked_until, unlock_login

    make_active_account(first_name="Ilmen", last_name="Foplus")
    fail(client, "ilmen.foplus", 5)
    assert locked_until("ilmen.foplus") is not None

    unlock_login("ilmen.foplus")  # what the reset link's service calls

    assert submit_login(client, "ilmen.foplus", STRONG_PASSWORD).url == "/espace/"


def _parallel_wrong_passwords(workers: int, addresses: list[str]) -> list[str]:
    barrier = threading.Barrier(workers)
    pages: list[str] = []

    def attack(n: int) -> None:
        try:
            client = Client(REMOTE_ADDR=addresses[n % len(addresses)])
            client.get("/connexion/")
            barrier.wait()
            response = client.post("/connexion/", {"login": "ilmen.foplus", "password": WRONG})
            pages.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return pages


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_wrong_passwords_verify_at_most_the_limit(settings):
    """Real threads on PostgreSQL (and Redis when REDIS_URL is set): hash verifications are
    counted by the hasher itself, not inferred from the responses."""
    settings.PASSWORD_HASHERS = ["tests.accounts.counting_hasher.CountingHasher"]
    make_active_account(first_name="Ilmen", last_name="Foplus")
    counting_hasher.calls.clear()

    pages = _parallel_wrong_passwords(50, ["192.0.2.1"])

    assert counting_hasher.calls.count("verify") <= settings.APART_LOGIN_MAX_FAILURES
    assert len(pages) == 50
    assert sum(LOCKED in html for html in pages) >= 50 - settings.APART_LOGIN_MAX_FAILURES
    counting_hasher.calls.clear()
    right = submit_login(Client(REMOTE_ADDR="198.51.100.7"), "ilmen.foplus", STRONG_PASSWORD)
    assert LOCKED in right.content.decode()
    assert counting_hasher.calls.count("verify") == 0


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_from_many_addresses_verify_at_most_the_limit(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.counting_hasher.CountingHasher"]
    make_active_account(first_name="Ilmen", last_name="Foplus")
    counting_hasher.calls.clear()

    _parallel_wrong_passwords(30, [f"192.0.2.{n}" for n in range(1, 31)])

    assert counting_hasher.calls.count("verify") <= settings.APART_LOGIN_MAX_FAILURES
    checked = AuditEvent.objects.filter(action="account.login_failed", reason="bad_credentials")
    assert checked.count() == settings.APART_LOGIN_MAX_FAILURES
    assert AuditEvent.objects.filter(action="account.locked").count() == 1
