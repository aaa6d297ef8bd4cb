"""Sessions indexed per account: every one of them can be ended at once."""

import pytest

from apart.accounts.models import AccountSession
from apart.accounts.sessions import end_sessions
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login, submit_password_change

pytestmark = pytest.mark.django_db

PROTECTED = "/changement-mot-de-passe/"


@pytest.fixture
def account():
    return make_active_account(first_name="Ilmen", last_name="Foplus")


def _browser(client_class, login="ilmen.foplus"):
    browser = client_class()
    submit_login(browser, login, STRONG_PASSWORD)
    assert browser.get(PROTECTED).status_code == 200
    return browser


def test_each_login_indexes_its_session(client, account):
    first = _browser(type(client))
    second = _browser(type(client))

    keys = set(AccountSession.objects.filter(account=account).values_list("session_key", flat=True))
    assert keys == {first.session.session_key, second.session.session_key}


def test_ending_the_sessions_logs_every_browser_out(client, account):
    first = _browser(type(client))
    second = _browser(type(client))

    assert end_sessions(account=account) == 2

    assert first.get(PROTECTED).status_code == 302
    assert second.get(PROTECTED).status_code == 302
    assert not AccountSession.objects.filter(account=account).exists()


def test_the_kept_session_goes_on(client, account):
    first = _browser(type(client))
    second = _browser(type(client))

    end_sessions(account=account, keep_session_key=first.session.session_key)

    assert first.get(PROTECTED).status_code == 200
    assert second.get(PROTECTED).status_code == 302


def test_the_sessions_of_other_accounts_are_untouched(client, account):
    make_active_account(first_name="Autre", last_name="Personne")
    other = _browser(type(client), login="autre.personne")
    _browser(type(client))

    end_sessions(account=account)

    assert other.get(PROTECTED).status_code == 200


def test_logout_drops_the_index_row(client, account):
    browser = _browser(type(client))
    key = browser.session.session_key

    browser.post("/deconnexion/", {})

    assert not AccountSession.objects.filter(session_key=key).exists()


def test_a_password_change_ends_every_other_session(client, account):
    other = _browser(type(client))
    other_key = other.session.session_key
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    response = submit_password_change(client, STRONG_PASSWORD, "Encore-1-autre!")

    assert response.status_code == 302
    assert not AccountSession.objects.filter(session_key=other_key).exists()
    assert other.get(PROTECTED).status_code == 302


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    ],
)
def test_every_session_engine_loses_the_ended_sessions(client, account, settings, engine):
    settings.SESSION_ENGINE = engine
    browser = _browser(type(client))

    end_sessions(account=account)

    assert browser.get(PROTECTED).status_code == 302
