"""`manage.py purge_personal_data`: anonymises or deletes what is past its retention period,
keeps audit rows (personal fields anonymised), never touches an account with a live
habilitation, and does nothing the second time."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.audit.services import record_event
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.registration.models import RegistrationRequest
from tests.accounts.factories import make_active_account
from tests.habilitations.factories import make_habilitation
from tests.notifications.helpers import queue_check
from tests.registration.factories import make_sirene
from tests.registration.journey import register

pytestmark = pytest.mark.django_db

FOUR_YEARS_AGO = timezone.now() - timedelta(days=4 * 365)


def purge() -> str:
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    return out.getvalue()


def _old_account(**fields) -> Account:
    with time_machine.travel(FOUR_YEARS_AGO, tick=False):
        account = make_active_account(**fields)
        record_event(
            action="account.phone_changed",
            account=account,
            actor=account,
            old={"phone": "0102030405"},
            new={"phone": "0607080910"},
        )
    return account


def test_an_account_unused_for_three_years_is_anonymised():
    account = _old_account(first_name="Ilmen", last_name="Foplus", email="ilmen@exemple.fr")

    purge()

    account.refresh_from_db()
    assert account.login == f"anonyme-{account.pk}"
    assert (account.first_name, account.last_name, account.phone) == ("", "Anonyme", "")
    assert "ilmen" not in account.email
    assert not account.is_active and not account.has_usable_password()
    assert account.secret_question == "" and account.secret_answer_hash == ""


def test_audit_rows_stay_with_their_personal_fields_anonymised():
    account = _old_account()

    purge()

    event = AuditEvent.objects.get(action="account.phone_changed", account=account)
    assert event.old_values == {"phone": "[anonymisé]"}
    assert event.new_values == {"phone": "[anonymisé]"}
    assert event.ip_address is None and event.user_agent == ""
    assert AuditEvent.objects.filter(action="privacy.account_anonymised", account=account).exists()


def test_an_account_with_a_live_habilitation_is_never_anonymised():
    account = _old_account()
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)

    purge()

    account.refresh_from_db()
    assert not account.login.startswith("anonyme-")
    assert account.is_active


def test_an_account_seen_recently_is_kept():
    account = _old_account()
    Account.objects.filter(pk=account.pk).update(last_login=timezone.now() - timedelta(days=30))

    purge()

    account.refresh_from_db()
    assert not account.login.startswith("anonyme-")


def test_agents_are_never_anonymised():
    agent = _old_account(role=Account.Role.INSTRUCTOR)

    purge()

    agent.refresh_from_db()
    assert not agent.login.startswith("anonyme-")


def test_a_second_run_changes_nothing():
    _old_account()
    with time_machine.travel(FOUR_YEARS_AGO, tick=False):
        queue_check()
    OutboundEmail.objects.update(status="sent", sent_at=FOUR_YEARS_AGO)
    purge()
    audit_rows = AuditEvent.objects.count()

    second = purge()

    assert AuditEvent.objects.count() == audit_rows
    assert all(line.endswith(": 0") for line in second.strip().splitlines())


def test_sent_emails_past_their_period_are_deleted_queued_ones_kept():
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        sent, waiting = queue_check(), queue_check()
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent", sent_at=timezone.now())

    purge()

    assert list(OutboundEmail.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_what_was_typed_at_registration_is_deleted_after_a_year_unless_still_pending(client):
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        register(client, make_sirene().siret)
        client.cookies.clear()
        from tests.registration.factories import establishment, person

        register(client, make_sirene().siret, {**establishment(), **person(2)})
    decided, pending = RegistrationRequest.objects.order_by("pk")
    Habilitation.objects.filter(pk=decided.habilitation_id).update(status="rejected")

    purge()

    assert list(RegistrationRequest.objects.values_list("pk", flat=True)) == [pending.pk]


def test_connection_data_is_cleared_after_a_year_and_the_rows_stay():
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        event = AuditEvent.objects.create(
            action="account.login", ip_address="203.0.113.7", user_agent="Firefox"
        )

    purge()

    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.ip_address, event.user_agent) == (None, "")


def test_the_address_a_bank_details_change_came_from_is_cleared_after_a_year():
    from apart.establishments.models import BankDetailsVersion
    from tests.space.factories import make_establishment

    establishment = make_establishment(main_contact=make_active_account())
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        version = BankDetailsVersion.objects.create(
            establishment=establishment,
            number=1,
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP882",
            account_holder="CLEAN DESK",
            ip_address="203.0.113.7",
        )

    purge()

    version.refresh_from_db()
    assert version.ip_address is None
    assert version.iban == "FR7630006000011234567890189"


def test_claims_typed_with_an_existing_email_are_deleted_after_the_token_period(client):
    from apart.registration.models import SiretClaim
    from tests.registration.factories import establishment, person

    victim = make_active_account(email="ilmen@foplus.fr")
    typed = {**establishment(), **person(email=victim.email, email_confirm=victim.email)}
    with time_machine.travel(timezone.now() - timedelta(days=31), tick=False):
        register(client, make_sirene().siret, typed)
    register(client, make_sirene().siret, typed)
    recent = SiretClaim.objects.latest("created_at")

    purge()

    assert list(SiretClaim.objects.values_list("pk", flat=True)) == [recent.pk]
