"""The SMTP server fails: a quarter of the connections refused or cut, then down for the length
of a batch of registrations. Every email still arrives, exactly once."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apart.notifications.models import OutboundEmail
from tests.hardening.flaky_smtp import FlakyProxy
from tests.notifications.helpers import queue_check
from tests.registration.factories import make_sirene, person
from tests.registration.journey import register
from tests.smtp import SmtpServer, _CollectingHandler

EMAILS = 40
ROOT = Path(__file__).resolve().parents[2]


def _deliver_until_done(deliver_outbox, max_passes: int = 30) -> int:
    """Run the worker (its clock moved past any back-off) until the outbox is empty."""
    passes = 0
    later = timezone.now()
    while OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists():
        passes += 1
        assert passes <= max_passes, "the outbox never emptied"
        later += timedelta(hours=2)
        deliver_outbox(now=later)
    return passes


def _message_ids(smtp_server) -> Counter:
    return Counter(str(message["Message-ID"]) for message in smtp_server.messages)


@pytest.mark.django_db
def test_a_quarter_of_connections_failing_loses_and_duplicates_nothing(
    settings, smtp_server, deliver_outbox
):
    settings.APART_OUTBOX_BATCH_SIZE = 2  # one connection per batch of two
    queued = [queue_check(to=f"personne{n}@example.com") for n in range(EMAILS)]
    smtp_server.refuse(EMAILS // 4, "451 4.3.0 Try again later")  # a quarter refused at DATA too

    with FlakyProxy(smtp_server.port) as proxy:
        settings.EMAIL_PORT = proxy.port
        passes = _deliver_until_done(deliver_outbox)

    received = _message_ids(smtp_server)
    assert set(received) == {email.message_id for email in queued}
    assert max(received.values()) == 1
    assert proxy.count("refuse") >= 2 and proxy.count("drop") >= 2
    attempts = sum(OutboundEmail.objects.values_list("attempts", flat=True))
    print(
        f"\nSMTP faults: {EMAILS} emails, {len(proxy.outcomes)} connections "
        f"({proxy.count('refuse')} refused, {proxy.count('drop')} cut), {EMAILS // 4} refused "
        f"at DATA; {attempts} send attempts over {passes} worker passes; "
        f"{len(received)} delivered, duplicates {sum(received.values()) - len(received)}"
    )


@pytest.mark.django_db
def test_emails_of_registrations_made_while_the_smtp_server_is_down_all_go_out_after(
    client, smtp_server, deliver_outbox
):
    smtp_server.stop()
    people = [person(n) for n in range(5)]
    for typed in people:
        client.cookies.clear()
        response = register(client, make_sirene().siret, {**_establishment(), **typed})
        assert response.status_code == 302
        deliver_outbox()  # the worker keeps trying while the server is down

    assert smtp_server.messages == []
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).count() == 10
    smtp_server.start()
    _deliver_until_done(deliver_outbox)

    received = _message_ids(smtp_server)
    assert len(received) == 10 and max(received.values()) == 1
    for typed in people:
        assert len(smtp_server.to(typed["email"])) == 2  # identifiant + mot de passe


def _establishment():
    from tests.registration.factories import establishment

    return establishment()


# --- The worker killed while sending -----------------------------------------------------------


class _SlowOnce(_CollectingHandler):
    """Accepts messages normally, except the ``slow_at``-th: received, then no reply for a while
    (the worker is killed while it waits for the server's "250")."""

    def __init__(self, slow_at: int) -> None:
        super().__init__()
        self.slow_at = slow_at
        self.in_flight = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.slow_at and not self.in_flight.is_set():
            self.in_flight.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return reply


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s.get('USER') or 'postgres'}@{s.get('HOST')}:{s.get('PORT')}/{s['NAME']}"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_nothing_and_repeats_at_most_one(settings):
    server = SmtpServer()
    server.handler = _SlowOnce(slow_at=4)
    server.start()
    queued = [queue_check(to=f"personne{n}@example.com") for n in range(10)]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("APART_")},
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _database_url(),
        "EMAIL_HOST": server.host,
        "EMAIL_PORT": str(server.port),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "outbox_worker", "--poll", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert server.handler.in_flight.wait(30), "the worker never sent the 4th email"
        worker.send_signal(signal.SIGKILL)  # between the server's acceptance and the mark
        worker.wait(10)
        server.handler.release.set()
        left = Counter(OutboundEmail.objects.values_list("status", flat=True))

        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        later = timezone.now() + timedelta(seconds=settings.APART_OUTBOX_LEASE_SECONDS + 1)
        call_command("outbox_worker", "--once", "--now", later.isoformat(), stdout=StringIO())
    finally:
        if worker.poll() is None:
            worker.kill()
        server.handler.release.set()
        server.stop()

    received = _message_ids(server)
    assert set(received) == {email.message_id for email in queued}  # nothing lost
    duplicates = [mid for mid, n in received.items() if n > 1]
    assert len(duplicates) == 1 and received[duplicates[0]] == 2  # the one in flight, same id
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    print(
        f"\nworker killed: 10 emails, state at the kill {dict(left)}; after the lease "
        f"{len(received)} distinct delivered, 1 duplicate (same Message-ID)"
    )
