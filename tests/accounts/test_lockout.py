import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from apart.accounts.authentication import paris_time
from apart.audit.models import AuditEvent
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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_cannot_check_more_passwords_than_the_limit():
    make_active_account(first_name="Ilmen", last_name="Foplus")
    workers = 12
    barrier = threading.Barrier(workers)
    pages: list[str] = []

    def attack() -> None:
        try:
            client = Client()
            client.get("/connexion/")
            barrier.wait()
            response = client.post("/connexion/", {"login": "ilmen.foplus", "password": WRONG})
            pages.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=attack) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    checked = AuditEvent.objects.filter(action="account.login_failed", reason="bad_credentials")
    assert checked.count() == 5
    assert sum(LOCKED in html for html in pages) == workers - 4
    assert LOCKED in submit_login(Client(), "ilmen.foplus", STRONG_PASSWORD).content.decode()
