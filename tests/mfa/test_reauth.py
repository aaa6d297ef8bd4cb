"""« Confirmez votre identité » for an account with a second factor: the password alone does not
open the sensitive changes; the factor is asked too, counted in the login's lockout."""

import pytest

from apart.accounts.reauth import RECENT_AUTH_AT
from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.mfa.factories import enrol_totp, unused_code

pytestmark = pytest.mark.django_db

REAUTH = "/confirmer-mon-identite/"
FACTOR = "/confirmer-mon-identite/double-authentification/"
TARGET = "/double-authentification/application/"


@pytest.fixture
def account(client):
    account = make_active_account()
    enrol_totp(account)
    client.force_login(account)
    return account


def _password(client, password=STRONG_PASSWORD):
    client.get(REAUTH)
    return client.post(REAUTH, {"password": password, "next": TARGET})


def test_the_password_alone_does_not_mark_the_recent_authentication(client, account):
    response = _password(client)

    assert response.url == f"{FACTOR}?next=%2Fdouble-authentification%2Fapplication%2F"
    assert RECENT_AUTH_AT not in client.session
    assert client.get(TARGET).url.startswith(REAUTH)


def test_the_factor_after_the_password_marks_it_and_returns_to_the_page(client, account):
    response = _password(client)
    client.get(response.url)

    response = client.post(FACTOR, {"code": unused_code(account), "next": TARGET})

    assert response.url == TARGET
    assert client.get(TARGET).status_code == 200


def test_the_factor_page_without_the_password_first_sends_back_to_it(client, account):
    response = client.get(FACTOR)

    assert response.url.startswith(REAUTH)


def test_a_wrong_code_is_refused_and_counted(client, account):
    _password(client)
    client.get(FACTOR)
    wrong = "000000" if unused_code(account) != "000000" else "111111"

    response = client.post(FACTOR, {"code": wrong, "next": TARGET})

    assert response.status_code == 200
    assert RECENT_AUTH_AT not in client.session
    failure = AuditEvent.objects.filter(action="account.login_failed").latest("pk")
    assert failure.reason == "bad_second_factor"


def test_wrong_codes_lock_and_end_the_session(client, account, settings):
    settings.APART_LOGIN_MAX_FAILURES = 3
    _password(client)  # 1: the right password does not clear the counter
    client.get(FACTOR)
    wrong = "000000" if unused_code(account) != "000000" else "111111"
    client.post(FACTOR, {"code": wrong})  # 2

    response = client.post(FACTOR, {"code": wrong})  # 3: locked

    assert response.url == "/connexion/"
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.locked", account=account).exists()
