"""« Mot de passe actuel »: the recent authentication asked before sensitive changes."""

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from apart.accounts.reauth import has_recent_auth, mark_recent_auth, recent_auth_required
from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import shown_messages, submit_login

pytestmark = pytest.mark.django_db

REAUTH = "/confirmer-mon-identite/"


@pytest.fixture
def logged_in(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    return account


def _reauth(client, password, next_path="/changement-mot-de-passe/"):
    client.get(f"{REAUTH}?next={next_path}")
    return client.post(REAUTH, {"password": password, "next": next_path})


def _request_with_session(client, account):
    request = RequestFactory().get("/")
    request.user = account
    request.session = client.session
    return request


def test_a_login_alone_is_not_a_recent_authentication(client, logged_in):
    assert not has_recent_auth(_request_with_session(client, logged_in))


def test_the_page_asks_for_the_current_password(client, logged_in):
    html = client.get(f"{REAUTH}?next=/espace/").content.decode()

    assert "Mot de passe actuel" in html
    assert 'autocomplete="current-password"' in html


def test_the_right_password_marks_the_session_and_goes_back(client, logged_in):
    response = _reauth(client, STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.url == "/changement-mot-de-passe/"
    assert has_recent_auth(_request_with_session(client, logged_in))


def test_a_next_outside_the_site_is_ignored(client, logged_in):
    response = _reauth(client, STRONG_PASSWORD, next_path="//evil.example/")

    assert response.url == "/espace/"


def test_a_wrong_password_is_refused_next_to_the_field(client, logged_in):
    response = _reauth(client, "Pas-le-bon1!")

    assert response.status_code == 200
    assert "Mot de passe incorrect." in response.content.decode()
    assert not has_recent_auth(_request_with_session(client, logged_in))
    assert AuditEvent.objects.filter(
        action="account.login_failed", account=logged_in, reason="reauth_bad_password"
    ).exists()


def test_the_window_ends_after_the_setting(client, logged_in, settings):
    settings.APART_RECENT_AUTH_SECONDS = 600
    _reauth(client, STRONG_PASSWORD)
    session = client.session
    session["apart_recent_auth_at"] = time.time() - 601
    session.save()

    assert not has_recent_auth(_request_with_session(client, logged_in))


def test_failures_add_up_with_the_login_failures_and_lock_the_account(client, logged_in, settings):
    settings.APART_LOGIN_MAX_FAILURES = 3
    other = type(client)()
    submit_login(other, "ilmen.foplus", "Pas-le-bon1!")
    submit_login(other, "ilmen.foplus", "Pas-le-bon1!")

    response = _reauth(client, "Pas-le-bon1!")

    assert response.status_code == 302
    assert response.url == "/connexion/"
    assert "temporairement verrouillé" in shown_messages(response)[0]
    assert AuditEvent.objects.filter(action="account.locked", account=logged_in).exists()
    # The login is locked too, even with the right password.
    refused = submit_login(other, "ilmen.foplus", STRONG_PASSWORD)
    assert "temporairement verrouillé" in refused.content.decode()


def test_a_locked_login_refuses_the_right_password_on_the_page(client, logged_in, settings):
    settings.APART_LOGIN_MAX_FAILURES = 1
    other = type(client)()
    submit_login(other, "ilmen.foplus", "Pas-le-bon1!")  # locks the login

    response = _reauth(client, STRONG_PASSWORD)

    # A locked account loses its sessions at their next request: nothing to confirm any more.
    assert response.url.startswith("/connexion/")
    assert client.get("/changement-mot-de-passe/").status_code == 302


def test_the_page_needs_a_session(client):
    response = client.get(f"{REAUTH}?next=/espace/")

    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_the_decorator_sends_to_the_page_with_next(client, logged_in):
    @recent_auth_required
    def view(request):
        return HttpResponse("done")

    request = _request_with_session(client, logged_in)
    response = view(request)

    assert response.status_code == 302
    assert response.url == "/confirmer-mon-identite/?next=%2F"
    mark_recent_auth(request)
    assert view(request).content == b"done"


def test_the_decorator_sends_a_post_back_to_the_page_it_came_from(client, logged_in):
    @recent_auth_required
    def view(request):
        return HttpResponse("done")

    request = RequestFactory().post(
        "/action/", HTTP_REFERER="http://testserver/espace/etablissements/3/collegues/"
    )
    request.user = logged_in
    request.session = client.session

    assert view(request).url == (
        "/confirmer-mon-identite/?next=%2Fespace%2Fetablissements%2F3%2Fcollegues%2F"
    )


def test_the_mark_belongs_to_the_account_that_made_it(client, logged_in):
    request = _request_with_session(client, logged_in)
    mark_recent_auth(request)
    request.user = make_active_account(first_name="Autre", last_name="Personne")

    assert not has_recent_auth(request)
