import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection

from apart.notifications.models import OutboundEmail
from tests.notifications.helpers import queue_check

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_workers_in_parallel_deliver_each_email_exactly_once(settings, smtp_server):
    settings.APART_OUTBOX_BATCH_SIZE = 3
    queued = {queue_check(to=f"personne{n}@example.com").message_id for n in range(40)}
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            call_command("outbox_worker", "--once")
        except BaseException as exc:  # reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    received = Counter(str(message["Message-ID"]) for message in smtp_server.messages)
    assert set(received) == queued
    assert max(received.values()) == 1
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
