"""The login's second step: after the right password an enrolled account has no session until
its second factor is proven; wrong codes count in the password's own lockout counter."""

import datetime
import html

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.mfa import services
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import shown_messages, submit_login
from tests.mfa.factories import current_code, enrol_totp
from tests.mfa.helpers import log_in_with_code, submit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    account = make_active_account()
    enrol_totp(account)
    return account


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_leads_to_the_second_step_without_a_session(client, account):
    response = submit_login(client, account.login, STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.url == "/connexion/verification/"
    assert not _logged_in(client)
    assert client.get("/espace/").status_code == 302
    assert not AuditEvent.objects.filter(action="account.login").exists()


def test_the_second_step_page_asks_for_a_code(client, account):
    submit_login(client, account.login, STRONG_PASSWORD)

    page = client.get("/connexion/verification/").content.decode()

    assert "Vérification en deux étapes" in page
    assert "Code de vérification" in page
    assert account.login in page


def test_the_right_code_opens_the_session(client, account):
    response = log_in_with_code(client, account.login, current_code())

    assert response.status_code == 302
    assert response.url == "/espace/"
    assert _logged_in(client)
    assert AuditEvent.objects.filter(action="account.login", account=account).count() == 1


def test_the_page_asked_before_the_login_is_reached_after_the_second_step(client, account):
    client.get("/connexion/")
    response = client.post(
        "/connexion/",
        {"login": account.login, "password": STRONG_PASSWORD, "next": "/espace/mon-compte/"},
    )
    assert response.url == "/connexion/verification/?next=%2Fespace%2Fmon-compte%2F"
    client.get(response.url)

    response = client.post(
        "/connexion/verification/", {"code": current_code(), "next": "/espace/mon-compte/"}
    )

    assert response.url == "/espace/mon-compte/"


def test_a_wrong_code_is_refused_next_to_the_field(client, account):
    submit_login(client, account.login, STRONG_PASSWORD)

    response = submit_code(client, "000000" if current_code() != "000000" else "111111")

    assert response.status_code == 200
    assert "Code incorrect ou déjà utilisé." in response.content.decode()
    assert not _logged_in(client)
    event = AuditEvent.objects.get(action="account.login_failed", account=account)
    assert event.reason == "bad_second_factor"


def test_a_code_used_once_cannot_open_a_second_session(client, account):
    code = current_code()
    log_in_with_code(client, account.login, code)
    client.post("/deconnexion/", {})

    response = log_in_with_code(client, account.login, code)

    assert response.status_code == 200
    assert not _logged_in(client)


def test_wrong_codes_lock_the_login_with_the_password_counter(client, account, settings):
    """5 attempts per window: the right password was one, four wrong codes make five."""
    settings.APART_LOGIN_MAX_FAILURES = 5
    submit_login(client, account.login, STRONG_PASSWORD)
    for _ in range(3):
        submit_code(client, "999999" if current_code() != "999999" else "888888")

    response = submit_code(client, "999999" if current_code() != "999999" else "888888")

    assert response.status_code == 302 and response.url == "/connexion/"
    assert "verrouillé" in shown_messages(response)[0]
    assert AuditEvent.objects.filter(action="account.locked", account=account).exists()
    # Locked: even the right password and code are refused now.
    again = submit_login(client, account.login, STRONG_PASSWORD)
    assert again.status_code == 200
    assert "verrouillé" in again.content.decode()


def test_alternating_password_and_codes_gives_no_extra_tries(client, account, settings):
    settings.APART_LOGIN_MAX_FAILURES = 5
    wrong = "999999" if current_code() != "999999" else "888888"
    submit_login(client, account.login, STRONG_PASSWORD)  # 1
    submit_code(client, wrong)  # 2
    submit_login(client, account.login, STRONG_PASSWORD)  # 3
    submit_code(client, wrong)  # 4
    submit_login(client, account.login, STRONG_PASSWORD)  # 5

    response = submit_code(client, current_code())

    assert response.status_code == 302 and response.url == "/connexion/"
    assert not _logged_in(client)


def test_the_half_open_login_expires(client, account):
    now = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(now, tick=False):
        submit_login(client, account.login, STRONG_PASSWORD)
    with time_machine.travel(now + datetime.timedelta(minutes=6), tick=False):
        response = submit_code(client, current_code())

    assert response.url == "/connexion/"
    assert not _logged_in(client)


def test_a_password_change_meanwhile_ends_the_half_open_login(client, account):
    submit_login(client, account.login, STRONG_PASSWORD)
    account.set_password("Autre-Mot2passe!")
    account.save()

    response = submit_code(client, current_code())

    assert response.url == "/connexion/"
    assert not _logged_in(client)


def test_the_second_step_without_a_password_first_leads_to_the_login(client, account):
    response = client.get("/connexion/verification/")

    assert response.status_code == 302 and response.url == "/connexion/"


def test_an_attacker_with_the_password_only_never_gets_a_session(client, account):
    submit_login(client, account.login, STRONG_PASSWORD)
    for guess in ("123456", "000000", "654321"):
        if guess != current_code():
            submit_code(client, guess)

    assert not _logged_in(client)
    assert client.get("/espace/mon-compte/").status_code == 302


def test_a_recovery_code_logs_in_once(client, account, smtp_server, deliver_outbox):
    codes = services.regenerate_recovery_codes(account=account)
    deliver_outbox()
    smtp_server.handler.messages.clear()

    response = log_in_with_code(client, account.login, codes[3].lower())
    assert response.status_code == 302 and response.url == "/espace/"
    client.post("/deconnexion/", {})
    again = log_in_with_code(client, account.login, codes[3])

    assert again.status_code == 200
    assert "Code incorrect ou déjà utilisé." in again.content.decode()
    deliver_outbox()
    [email] = smtp_server.messages
    assert email["To"] == account.email
    assert "Il vous en reste 9" in smtp_server.text_of(email)
    assert AuditEvent.objects.get(action="mfa.recovery_code_used").new_values == {
        "recovery_codes_left": 9
    }


def test_an_account_without_factor_logs_in_with_the_password_alone(client):
    account = make_active_account()

    response = submit_login(client, account.login, STRONG_PASSWORD)

    assert response.url == "/espace/"
    assert _logged_in(client)


def test_a_forged_passkey_answer_is_refused_and_counted(client, account):
    from apart.mfa.models import Passkey

    Passkey.objects.create(
        account=account, name="Clé", credential_id=b"\x01" * 16, public_key=b"\x02" * 77
    )
    submit_login(client, account.login, STRONG_PASSWORD)
    client.get("/connexion/verification/")
    client.post("/connexion/verification/cle-d-acces/", {})
    forged = (
        '{"id": "AQEBAQEBAQEBAQEBAQEBAQ", "rawId": "AQEBAQEBAQEBAQEBAQEBAQ", "type": '
        '"public-key", "response": {"clientDataJSON": "e30", "authenticatorData": "AA", '
        '"signature": "AA"}}'
    )

    response = client.post("/connexion/verification/", {"credential": forged})

    assert response.status_code == 200
    assert "La clé d'accès n'a pas été reconnue." in html.unescape(response.content.decode())
    assert not _logged_in(client)
    assert AuditEvent.objects.get(action="account.login_failed").reason == "bad_second_factor"


def test_the_passkey_options_need_the_password_first(client, account):
    client.get("/connexion/")

    response = client.post("/connexion/verification/cle-d-acces/", {})

    assert response.status_code == 403
