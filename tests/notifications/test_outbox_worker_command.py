import os
import signal
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from apart.notifications.models import OutboundEmail
from tests.notifications.helpers import queue_check

pytestmark = pytest.mark.django_db


def test_once_delivers_what_is_due_and_reports_it(smtp_server):
    for n in range(3):
        queue_check(to=f"personne{n}@example.com")
    out = StringIO()

    call_command("outbox_worker", "--once", stdout=out)

    assert len(smtp_server.messages) == 3
    assert "3 sent, 0 postponed, 0 refused" in out.getvalue()


def test_once_goes_through_several_batches(settings, smtp_server, deliver_outbox):
    settings.APART_OUTBOX_BATCH_SIZE = 2
    for n in range(5):
        queue_check(to=f"personne{n}@example.com")

    deliver_outbox()

    assert len(smtp_server.messages) == 5


def test_once_with_nothing_due_sends_nothing(smtp_server, deliver_outbox):
    assert "0 sent" in deliver_outbox()
    assert smtp_server.messages == []


def test_the_loop_delivers_then_stops_cleanly_on_sigterm(smtp_server):
    queue_check()
    out = StringIO()
    previous = signal.getsignal(signal.SIGTERM)
    stopper = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    stopper.start()

    call_command("outbox_worker", "--poll", "0.05", stdout=out)

    assert "outbox worker stopped" in out.getvalue()
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert len(smtp_server.messages) == 1
    assert signal.getsignal(signal.SIGTERM) is previous
