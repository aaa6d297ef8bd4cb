"""`manage.py outbox_worker`: deliver the email outbox, in a loop or once (`--once`)."""

import signal
import threading
from datetime import datetime
from signal import SIGINT, SIGTERM
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from apart.core.heartbeats import record_heartbeat
from apart.notifications.delivery import DeliveryReport, deliver_due_emails


class Command(BaseCommand):
    help = (
        "Deliver queued emails over SMTP (or to the demo mailbox in development). Runs until "
        "SIGTERM/SIGINT; --once delivers what is due now and exits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="deliver what is due, then exit")
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            default=None,
            help="treat this ISO 8601 instant as now (e.g. to retry postponed emails at once)",
        )
        parser.add_argument(
            "--poll", type=float, default=None, help="seconds between polls (loop mode)"
        )

    def handle(
        self, *args: Any, once: bool, now: datetime | None, poll: float | None, **options: Any
    ) -> None:
        if now is not None and timezone.is_naive(now):
            now = timezone.make_aware(now)
        if once:
            record_heartbeat(worker="outbox", force=True)
            total = self._drain(now=now, should_stop=lambda: False)
            self._say(total)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (SIGTERM, SIGINT)}
        interval = poll if poll is not None else settings.APART_OUTBOX_POLL_SECONDS
        mode = "demo mailbox" if settings.APART_DEMO_MAILBOX else "SMTP"
        self.stdout.write(f"outbox worker started ({mode}), polling every {interval:g} s")
        try:
            while not stop.is_set():
                _refresh_connections()
                record_heartbeat(worker="outbox")
                total = self._drain(now=now, should_stop=stop.is_set)
                if total.claimed:
                    self._say(total)
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _refresh_connections()
        self.stdout.write("outbox worker stopped")

    def _drain(self, *, now: datetime | None, should_stop: Any) -> DeliveryReport:
        """Deliver batch after batch until nothing is due (or a stop is requested)."""
        total = DeliveryReport()
        while not should_stop():
            report = deliver_due_emails(now=now, should_stop=should_stop)
            total.claimed += report.claimed
            total.sent += report.sent
            total.postponed += report.postponed
            total.failed += report.failed
            # Stop when nothing was due, or when nothing got through (server down: every row of
            # the batch now waits for its back-off, no use hammering the server).
            if not report.claimed or report.sent + report.failed == 0:
                break
        return total

    def _say(self, report: DeliveryReport) -> None:
        self.stdout.write(
            f"outbox: {report.sent} sent, {report.postponed} postponed, {report.failed} refused"
        )


def _refresh_connections() -> None:
    """Drop database connections past CONN_MAX_AGE or broken (a long-running process must).

    Skipped inside a transaction: the worker never runs in one, except under the test suite's
    wrapping transaction, which closing the connection would destroy.
    """
    if not connection.in_atomic_block:
        close_old_connections()
