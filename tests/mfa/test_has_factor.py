"""Whether a login needs a second step: one statement, whichever factor the account has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apart.mfa.models import Passkey
from apart.mfa.selectors import has_factor
from tests.accounts.factories import make_active_account
from tests.mfa.factories import enrol_totp

pytestmark = pytest.mark.django_db


def _passkey(account):
    return Passkey.objects.create(
        account=account, name="Clé", credential_id=b"\x01" * 16, public_key=b"\x02" * 77
    )


def test_an_account_without_factor_has_none_and_it_costs_one_statement():
    account = make_active_account()
    enrol_totp(make_active_account(first_name="Autre", last_name="Personne"))

    with CaptureQueriesContext(connection) as queries:
        assert has_factor(account) is False

    assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("enrol", [enrol_totp, _passkey, "both"])
def test_either_factor_or_both_count(enrol):
    account = make_active_account()
    if enrol == "both":
        enrol_totp(account)
        _passkey(account)
    else:
        enrol(account)

    with CaptureQueriesContext(connection) as queries:
        assert has_factor(account) is True

    assert len(queries.captured_queries) == 1
