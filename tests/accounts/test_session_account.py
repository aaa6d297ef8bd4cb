"""The account of an open session is read from the database on every request (one prepared
statement on PostgreSQL, apart.accounts.backends): whatever changes the row, by a service or
behind its back, is seen by the very next request, even while the session's access verdict is
still fresh."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from apart.accounts.backends import AccountBackend
from apart.accounts.models import Account
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db

PROTECTED = "/changement-mot-de-passe/"


@pytest.fixture
def logged_in(client, settings):
    settings.APART_ACCESS_CHECK_SECONDS = 60  # the verdict stays fresh during the test
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)
    assert client.get(PROTECTED).status_code == 200
    return account


def _refused(client):
    response = client.get(PROTECTED)
    return response.status_code == 302 and response.url.startswith("/connexion/")


def test_the_backend_reads_the_row_as_the_orm_does():
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    Account.objects.filter(pk=account.pk).update(
        last_login_ip="192.0.2.7",
        frozen_at=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    )

    read = AccountBackend().get_user(str(account.pk))
    reference = Account.objects.get(pk=account.pk)

    assert read is not None
    for field in Account._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(reference, field.attname), field.name
    assert read._state.adding is False
    assert read._state.db == connection.alias


def test_an_unknown_or_malformed_id_opens_nothing():
    assert AccountBackend().get_user("987654321") is None
    assert AccountBackend().get_user("1 OR 1=1") is None


def test_a_deactivated_account_is_refused_at_its_very_next_request(client, logged_in):
    # Behind the index's back: no session is ended, the access verdict is fresh.
    Account.objects.filter(pk=logged_in.pk).update(is_active=False)

    assert _refused(client)


def test_a_password_changed_elsewhere_is_refused_at_its_very_next_request(client, logged_in):
    Account.objects.filter(pk=logged_in.pk).update(password=make_password("Autre-Mot2passe!"))

    assert _refused(client)


def test_a_frozen_account_is_refused_at_its_very_next_request(client, logged_in):
    Account.objects.filter(pk=logged_in.pk).update(frozen_at=datetime.datetime.now(datetime.UTC))

    assert _refused(client)


def test_an_employer_turned_agent_is_treated_as_an_agent_at_the_next_request(client, logged_in):
    Account.objects.filter(pk=logged_in.pk).update(role=Account.Role.INSTRUCTOR)

    response = client.get("/espace/")

    # An agent without a second factor reaches nothing but its enrolment.
    assert response.status_code == 302
    assert response.url == "/double-authentification/"
