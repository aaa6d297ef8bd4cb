"""« Prolonger ma session » (RGAA 13.1): the warning's data on every page of a logged-in person,
and the POST that restarts the idle delay."""

import time
from datetime import datetime

import pytest
from django.utils import timezone

from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db

EXTEND = "/session/prolonger/"
PAGE = "/changement-mot-de-passe/"


@pytest.fixture
def logged_in(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    return account


def _age(client, *, started_ago: float, last_seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session["apart_session_started_at"] = now - started_ago
    session["apart_last_seen"] = now - last_seen_ago
    session.save()


def test_every_page_of_a_logged_in_person_carries_the_warning(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.APART_SESSION_WARNING_SECONDS = 120

    html = client.get(PAGE).content.decode()

    assert 'role="alertdialog"' in html
    assert "Votre session va expirer" in html
    assert "Prolonger ma session" in html
    assert 'data-warning="120"' in html
    assert 'action="/session/prolonger/"' in html
    assert "accounts/session-timeout.js" in html


def test_anonymous_pages_have_no_warning(client):
    html = client.get("/").content.decode()

    assert "Prolonger ma session" not in html
    assert "session-timeout.js" not in html


def test_the_page_says_the_seconds_actually_left(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    _age(client, started_ago=3600, last_seen_ago=50)  # under the 60 s write granularity

    html = client.get(PAGE).content.decode()

    left = int(html.split('data-left="')[1].split('"')[0])
    assert 30 * 60 - 52 <= left <= 30 * 60 - 49


def test_a_short_session_is_warned_at_half_its_length_and_never_under_20_seconds(
    client, logged_in, settings
):
    settings.APART_SESSION_WARNING_SECONDS = 120
    settings.SESSION_IDLE_TIMEOUT = 100
    assert 'data-warning="50"' in client.get(PAGE).content.decode()
    settings.SESSION_IDLE_TIMEOUT = 30
    assert 'data-warning="20"' in client.get(PAGE).content.decode()


def test_extending_restarts_the_idle_delay_and_is_audited(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.get(PAGE)
    _age(client, started_ago=3600, last_seen_ago=25 * 60)

    response = client.post(EXTEND, {})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 30 * 60 - 2 <= response.json()["left"] <= 30 * 60
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    assert abs((expires_at - timezone.now()).total_seconds() - 30 * 60) <= 3
    assert time.time() - client.session["apart_last_seen"] < 5
    assert (
        AuditEvent.objects.filter(action="account.session_extended", account=logged_in).count() == 1
    )
    # 25 more minutes: without the extension this would be 50 minutes of idleness.
    _age(client, started_ago=3600 + 25 * 60, last_seen_ago=25 * 60)
    assert client.get(PAGE).status_code == 200


def test_extending_cannot_pass_the_absolute_lifetime(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.get(PAGE)
    _age(client, started_ago=12 * 3600 - 100, last_seen_ago=10)

    response = client.post(EXTEND, {})

    assert 95 <= response.json()["left"] <= 100


def test_anonymous_visitors_cannot_extend(client):
    client.get("/")

    response = client.post(EXTEND, {})

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="account.session_extended").exists()


def test_an_expired_session_is_not_brought_back(client, logged_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    client.get(PAGE)
    _age(client, started_ago=3600, last_seen_ago=31 * 60)

    response = client.post(EXTEND, {})

    assert response.status_code == 302
    assert response.url.startswith("/connexion/")
    assert not AuditEvent.objects.filter(action="account.session_extended").exists()
    assert client.get(PAGE).status_code == 302


def test_extending_without_the_csrf_token_is_refused(client, logged_in):
    client.get(PAGE)
    before = client.session["apart_last_seen"]

    response = client.post(EXTEND, {"csrfmiddlewaretoken": "forged"})

    assert response.status_code == 403
    assert client.session["apart_last_seen"] == before
    assert not AuditEvent.objects.filter(action="account.session_extended").exists()


def test_extending_by_get_is_refused(client, logged_in):
    assert client.get(EXTEND).status_code == 405


def test_extending_is_rate_limited(client, logged_in, settings):
    client.get(PAGE)
    for _ in range(30):
        assert client.post(EXTEND, {}).status_code == 200

    response = client.post(EXTEND, {})

    assert response.status_code == 429
    assert response.json()["error"] == "too_many"
    assert AuditEvent.objects.filter(action="account.session_extended").count() == 30


def test_the_seconds_left_never_announce_the_end_before_the_server_ends_the_session(settings):
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    from apart.accounts.authentication import LAST_SEEN, SESSION_STARTED_AT
    from apart.accounts.timeout import seconds_left

    settings.SESSION_IDLE_TIMEOUT = 25
    session = SessionStore()
    session[SESSION_STARTED_AT] = session[LAST_SEEN] = 1000.0

    assert seconds_left(session, now=1000.3) == 25  # 24.7 s left: the page counts 25
    assert seconds_left(session, now=1024.9) == 1
    assert seconds_left(session, now=1025.0) == 0
    assert seconds_left(session, now=1030.0) == 0
