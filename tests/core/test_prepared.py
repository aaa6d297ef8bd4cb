"""The hand-written hot statements (the dashboard's, the session's account) are prepared once per
connection and executed again with their kept plan, instead of being parsed and planned on every
request (apart.core.prepared)."""

import pytest
from django.db import connection

from tests.space.factories import employer_with_establishments, log_in

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

REQUESTS = 7


def _prepared_runs(marker):
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return [runs for statement, runs in cursor.fetchall() if marker in statement]


def test_the_dashboard_and_account_statements_are_prepared_once_and_reused(client):
    account = employer_with_establishments(3)
    log_in(client, account)

    for _ in range(REQUESTS):
        assert client.get("/espace/").status_code == 200

    assert _prepared_runs("WITH members AS") == [REQUESTS]
    [account_runs] = _prepared_runs('FROM "accounts_account" WHERE')
    assert account_runs >= REQUESTS
