"""Audit rows are append-only, enforced by PostgreSQL itself (a trigger), not only by the model:
raw SQL cannot edit or delete a row; the RGPD purge still blanks personal fields, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.privacy.services import purge_personal_data
from tests.accounts.factories import make_active_account

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def _event(**fields) -> AuditEvent:
    account = make_active_account()
    return record_event(
        action=AuditAction.ACCOUNT_PHONE_CHANGED,
        actor=account,
        account=account,
        old={"phone": "0102030405"},
        **fields,
    )


def _raw(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_raw_update_is_refused():
    event = _event()

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET action = 'account.login' WHERE id = %s", event.pk)

    event.refresh_from_db()
    assert event.action == "account.phone_changed"


def test_a_raw_update_of_a_personal_field_is_refused_outside_the_purge():
    event = _event()

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET user_agent = 'x' WHERE id = %s", event.pk)


def test_a_raw_delete_is_refused():
    event = _event()

    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", event.pk)

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _under_the_purge_setting(sql: str, *params: object) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('apart.audit_purge', 'on', true)")
        cursor.execute(sql, params)


def test_the_purge_setting_lets_personal_fields_go_and_nothing_else():
    event = _event()

    with pytest.raises(DatabaseError, match="append-only"):
        _under_the_purge_setting("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", event.pk)
    with pytest.raises(DatabaseError, match="append-only"):
        _under_the_purge_setting("DELETE FROM audit_auditevent WHERE id = %s", event.pk)
    _under_the_purge_setting(
        "UPDATE audit_auditevent SET old_values = '{}' WHERE id = %s", event.pk
    )
    event.refresh_from_db()
    assert event.old_values == {} and event.action == "account.phone_changed"


@pytest.mark.django_db(transaction=True)  # the purge's transaction is the outermost, as in cron
def test_the_purge_still_blanks_old_connection_data_and_the_setting_ends_with_it():
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        old = record_event(
            action=AuditAction.ACCOUNT_LOGIN,
            account=make_active_account(),
            context=AuditContext(ip_address="203.0.113.9", user_agent="Firefox"),
        )

    report = purge_personal_data(now=timezone.now())

    old.refresh_from_db()
    assert report.connection_data_cleared >= 1
    assert (old.ip_address, old.user_agent, old.action) == (None, "", "account.login")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_auditevent SET user_agent = 'x' WHERE id = %s", old.pk)


def test_removing_an_account_only_unlinks_its_rows():
    event = _event()
    account = event.account

    account.delete()

    event.refresh_from_db()
    assert (event.account, event.actor, event.old_values) == (None, None, {"phone": "0102030405"})
