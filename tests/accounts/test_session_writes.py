"""A login writes its session once, under a new key; the first page after it neither rewrites
the session nor runs again the access checks the login has just run."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts import login_checks
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db

PROTECTED = "/changement-mot-de-passe/"
ENGINES = ["apart.accounts.session_engines.db", "apart.accounts.session_engines.cached_db"]


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def _session_statements(queries):
    return [q["sql"].split()[0].upper() for q in queries if "django_session" in q["sql"]]


def test_a_login_writes_its_session_once(client, engine):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    client.get("/connexion/")

    with CaptureQueriesContext(connection) as queries:
        response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert response.status_code == 302
    assert _session_statements(queries.captured_queries) == ["INSERT"]
    assert Session.objects.filter(session_key=client.session.session_key).exists()


def test_the_session_before_the_login_is_deleted_and_opens_nothing(client, engine):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    client.get("/connexion/")
    planted = client.session
    planted["planted"] = True
    planted.save()
    before = planted.session_key

    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session["planted"] is True  # the data follows the new key, as in Django
    client.cookies["sessionid"] = before
    assert client.get(PROTECTED).status_code == 302


def test_the_first_page_after_the_login_does_not_rewrite_the_session(client, engine):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROTECTED).status_code == 200

    assert "UPDATE" not in _session_statements(queries.captured_queries)


def test_the_checks_of_the_login_are_not_run_again_by_its_first_page(client, settings):
    settings.APART_LOGIN_CHECKS = ["tests.accounts.login_checks.accept_and_count"]
    settings.APART_ACCESS_CHECK_SECONDS = 30
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    login_checks.checked.clear()

    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    assert client.get(PROTECTED).status_code == 200

    assert login_checks.checked == [account.pk]


def test_without_a_cached_verdict_the_first_page_checks_again(client, settings):
    settings.APART_LOGIN_CHECKS = ["tests.accounts.login_checks.accept_and_count"]
    settings.APART_ACCESS_CHECK_SECONDS = 0
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    login_checks.checked.clear()

    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    assert client.get(PROTECTED).status_code == 200

    assert login_checks.checked == [account.pk, account.pk]
