import time

import pytest

from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import shown_messages, submit_login

pytestmark = pytest.mark.django_db

# A page that needs a session and belongs to the accounts app.
PROTECTED = "/changement-mot-de-passe/"


@pytest.fixture
def logged_in(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    return account


def age_session(client, *, started_ago: float, last_seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session["apart_session_started_at"] = now - started_ago
    session["apart_last_seen"] = now - last_seen_ago
    session.save()


def test_logout_is_offered_on_every_page_once_logged_in(client, logged_in):
    for path in ("/", "/changement-mot-de-passe/", "/mentions-legales/"):
        html = client.get(path).content.decode()
        assert 'action="/deconnexion/"' in html
        assert "DÉCONNEXION" in html


def test_logout_ends_the_session_and_is_audited(client, logged_in):
    client.get(PROTECTED)

    response = client.post("/deconnexion/", {})

    assert response.url == "/"
    assert shown_messages(response) == ["Vous êtes déconnecté."]
    assert client.get(PROTECTED).status_code == 302
    assert AuditEvent.objects.filter(action="account.logout", account=logged_in).exists()


def test_logout_by_get_is_refused(client, logged_in):
    assert client.get("/deconnexion/").status_code == 405
    assert client.get(PROTECTED).status_code == 200


def test_logout_without_csrf_token_is_refused(client, logged_in):
    client.cookies.pop("csrftoken", None)

    assert client.post("/deconnexion/", {}).status_code == 403


def test_an_idle_session_ends_after_the_idle_timeout(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    age_session(client, started_ago=31 * 60, last_seen_ago=31 * 60)

    response = client.get(PROTECTED)

    assert response.status_code == 302
    assert response.url == f"/connexion/?next={PROTECTED}"
    assert shown_messages(response) == ["Votre session a expiré. Veuillez vous reconnecter."]


def test_an_active_session_lives_on(client, logged_in):
    age_session(client, started_ago=60 * 60, last_seen_ago=29 * 60)

    assert client.get(PROTECTED).status_code == 200


def test_a_session_ends_after_the_absolute_timeout_even_when_active(client, logged_in):
    age_session(client, started_ago=12 * 3600 + 1, last_seen_ago=1)

    assert client.get(PROTECTED).status_code == 302


def test_activity_moves_the_idle_deadline(client, logged_in):
    age_session(client, started_ago=20 * 60, last_seen_ago=20 * 60)
    client.get(PROTECTED)

    assert time.time() - client.session["apart_last_seen"] < 5
