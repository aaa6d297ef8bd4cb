"""Silence for 15 days after the DAP was received means acceptance (R5122-4):
`manage.py dap_implicit_decisions`, run daily, records it, once."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from apart.audit.models import AuditEvent
from apart.dap import services
from apart.dap.models import AuthorisationRequest, Decision
from apart.habilitations.dates import PARIS
from apart.notifications.models import OutboundEmail
from tests.dap.factories import employer_with_complete_fiche, make_submitted
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db


def _submitted_on(day: datetime.date, hour: int = 10):
    account, establishment = employer_with_complete_fiche()
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)
    with time_machine.travel(moment, tick=False):
        return make_submitted(account, establishment)


def _run(at: datetime.datetime) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("dap_implicit_decisions", stdout=out)
    return out.getvalue()


def test_after_15_days_of_silence_the_dap_is_accepted_once(smtp_server, deliver_outbox):
    dap = _submitted_on(datetime.date(2026, 3, 2))
    day_15 = datetime.datetime(2026, 3, 17, 6, 0, tzinfo=PARIS)

    first = _run(day_15)
    second = _run(day_15 + datetime.timedelta(hours=1))

    assert first.startswith("1 acceptation(s) implicite(s)")
    assert second.startswith("0 acceptation(s) implicite(s)")
    decision = Decision.objects.get()
    assert decision.implicit and decision.accepted
    assert decision.decided_by is None
    assert decision.decision_date == datetime.date(2026, 3, 17)
    assert decision.hours_authorised == dap.hours_requested
    assert "article R5122-4" in decision.reason
    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="dap.implicitly_accepted").count() == 1
    assert OutboundEmail.objects.filter(template="dap/emails/decision").count() == 1
    deliver_outbox()
    [message] = smtp_server.messages
    assert "est acceptée implicitement" in smtp_server.text_of(message)


def test_before_the_15th_day_nothing_is_recorded():
    _submitted_on(datetime.date(2026, 3, 2), hour=23)

    output = _run(datetime.datetime(2026, 3, 16, 23, 59, tzinfo=PARIS))

    assert output.startswith("0 acceptation(s)")
    assert not Decision.objects.exists()


def test_the_day_counts_in_paris_time():
    # 23:30 in Paris on 2 March is 22:30 UTC the same day: received on 2 March.
    _submitted_on(datetime.date(2026, 3, 2), hour=23)

    _run(datetime.datetime(2026, 3, 17, 0, 5, tzinfo=PARIS))

    assert Decision.objects.get().decision_date == datetime.date(2026, 3, 17)


def test_a_dap_under_instruction_is_accepted_too():
    dap = _submitted_on(datetime.date(2026, 3, 2))
    services.start_instruction(dap=dap, actor=make_agent())

    _run(datetime.datetime(2026, 3, 18, 6, 0, tzinfo=PARIS))

    assert Decision.objects.get().implicit


def test_a_dap_decided_by_an_agent_is_left_alone():
    dap = _submitted_on(datetime.date(2026, 3, 2))
    services.decide_dap(dap=dap, actor=make_agent(), accept=False, reason="Refus motivé.")

    output = _run(datetime.datetime(2026, 3, 20, 6, 0, tzinfo=PARIS))

    assert output.startswith("0 acceptation(s)")
    assert Decision.objects.get().outcome == Decision.Outcome.REFUSED


def test_drafts_are_never_accepted():
    account, establishment = employer_with_complete_fiche()
    from tests.dap.factories import make_draft

    dap = make_draft(account, establishment)
    AuthorisationRequest.objects.filter(pk=dap.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )

    assert services.record_implicit_decisions(now=timezone.now() + datetime.timedelta(days=60)) == 0
