import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from apart.audit.models import AuditEvent
from apart.habilitations.dates import paris_today
from apart.habilitations.lifecycle import run_lifecycle
from apart.habilitations.models import Habilitation, HabilitationEvent
from apart.habilitations.services import extend_habilitation
from apart.notifications.models import OutboundEmail
from tests.habilitations.factories import make_agent, make_habilitation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _active_until(end: datetime.date) -> Habilitation:
    return make_habilitation(status="active", start=end - 365 * DAY, end=end)


def _state() -> list[tuple]:
    rows = Habilitation.objects.values_list("pk", "status", "end_date", "reminder_sent_for")
    counts = (HabilitationEvent.objects.count(), AuditEvent.objects.count())
    return [*sorted(rows), counts, (OutboundEmail.objects.count(),)]


def test_an_habilitation_expires_on_its_end_date():
    habilitation = _active_until(paris_today())

    report = run_lifecycle()

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.EXPIRED
    assert report.expired == 1
    event = habilitation.events.get()
    assert (event.old_status, event.new_status, event.actor) == ("active", "expired", None)
    assert AuditEvent.objects.get(action="habilitation.expired").reason == "Date de fin atteinte"


def test_an_habilitation_ending_tomorrow_is_still_active():
    habilitation = _active_until(paris_today() + DAY)

    run_lifecycle()

    habilitation.refresh_from_db()
    assert habilitation.status == Habilitation.Status.ACTIVE


@override_settings(APART_HABILITATION_REMINDER_DAYS=30)
def test_a_reminder_goes_out_thirty_days_before_the_end():
    habilitation = _active_until(paris_today() + 30 * DAY)

    report = run_lifecycle()

    assert report.reminded == 1
    email = OutboundEmail.objects.get(account=habilitation.account)
    assert email.subject == "Renouvellement de votre habilitation à l'activité partielle"
    assert "Demander le renouvellement de mon habilitation" in email.body_text
    habilitation.refresh_from_db()
    assert habilitation.reminder_sent_for == habilitation.end_date


@override_settings(APART_HABILITATION_REMINDER_DAYS=30)
def test_no_reminder_earlier_than_the_setting():
    _active_until(paris_today() + 31 * DAY)

    assert run_lifecycle().reminded == 0
    assert OutboundEmail.objects.count() == 0


@override_settings(APART_HABILITATION_REMINDER_DAYS=10)
def test_the_reminder_delay_is_a_setting():
    _active_until(paris_today() + 10 * DAY)
    _active_until(paris_today() + 11 * DAY)

    assert run_lifecycle().reminded == 1


def test_running_the_lifecycle_twice_gives_the_same_result():
    _active_until(paris_today() - DAY)
    _active_until(paris_today())
    _active_until(paris_today() + 5 * DAY)
    _active_until(paris_today() + 200 * DAY)
    make_habilitation(status="pending")

    first = run_lifecycle()
    after_first = _state()
    second = run_lifecycle()

    assert (first.expired, first.reminded) == (2, 1)
    assert (second.expired, second.reminded) == (0, 0)
    assert _state() == after_first


def test_an_extension_rearms_the_reminder():
    habilitation = _active_until(paris_today() + 5 * DAY)
    run_lifecycle()
    extend_habilitation(
        habilitation=habilitation, actor=make_agent(), end_date=paris_today() + 20 * DAY
    )

    assert run_lifecycle().reminded == 1
    assert OutboundEmail.objects.filter(template__endswith="renewal_reminder").count() == 2


def test_the_command_reports_what_it_did():
    _active_until(paris_today())
    out = StringIO()
    call_command("habilitations_lifecycle", stdout=out)

    assert out.getvalue().strip() == "1 habilitation(s) expirée(s), 0 rappel(s) envoyé(s)."
