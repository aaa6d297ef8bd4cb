"""The hand-written hot statements (the dashboard's, the session's account) are prepared once per
connection and executed again with their kept plan, instead of being parsed and planned on every
request; the first of a request is also the persistent connection's health check
(apart.core.prepared)."""

import psycopg
import pytest
from django.db import DataError, connection

from apart.core.prepared import fetch_prepared
from tests.space.factories import employer_with_establishments, log_in

pytestmark = pytest.mark.postgres_only

REQUESTS = 7


def _prepared_runs(marker):
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return [runs for statement, runs in cursor.fetchall() if marker in statement]


@pytest.mark.django_db
def test_the_dashboard_and_account_statements_are_prepared_once_and_reused(client):
    account = employer_with_establishments(3)
    log_in(client, account)

    for _ in range(REQUESTS):
        assert client.get("/espace/").status_code == 200

    assert _prepared_runs("WITH members AS") == [REQUESTS]
    [account_runs] = _prepared_runs('FROM "accounts_account" WHERE')
    assert account_runs >= REQUESTS


@pytest.mark.django_db(transaction=True)
def test_a_dropped_persistent_connection_is_replaced_by_the_first_statement():
    connection.ensure_connection()
    dropped = connection.connection.info.backend_pid
    settings = connection.get_connection_params()
    with psycopg.connect(
        **{k: v for k, v in settings.items() if k in {"dbname", "user", "host", "port"}},
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped])
    connection.close_if_unusable_or_obsolete()  # what a new request does: the check is due

    assert fetch_prepared("SELECT 41 + %s", [1]) == [(42,)]
    assert connection.connection.info.backend_pid != dropped


@pytest.mark.django_db(transaction=True)
def test_a_failing_statement_on_a_sound_connection_fails_as_it_is():
    connection.ensure_connection()
    kept = connection.connection.info.backend_pid
    connection.close_if_unusable_or_obsolete()

    with pytest.raises(DataError, match="division by zero"):
        fetch_prepared("SELECT 1 / %s", [0])
    assert connection.connection.info.backend_pid == kept
