"""Pytest plugin: a real SMTP server on loopback and a helper that runs the outbox worker once.

Usage in any test (loaded by tests/conftest.py)::

    def test_something(client, smtp_server, deliver_outbox):
        ...  # the code under test calls queue_email(...) in its transaction
        deliver_outbox()  # runs `manage.py outbox_worker --once`
        [message] = smtp_server.messages  # email.message.EmailMessage objects
        assert message["To"] == "jean@example.com"
        assert "identifiant" in smtp_server.text_of(message)

``deliver_outbox(now=...)`` shifts the worker's clock (to retry postponed emails without waiting
for their back-off). ``smtp_server.stop()`` / ``.start()`` take the server down and up again on
the same port; ``smtp_server.refuse(n, "451 4.3.0 Try again later")`` makes the next n messages
be refused at DATA (``at="RCPT"`` to refuse the recipient instead).
"""

import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command


class _CollectingHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._refusals: list[tuple[str, str]] = []

    def refuse(self, count: int, reply: str, at: str) -> None:
        with self._lock:
            self._refusals.extend([(at, reply)] * count)

    def _take_refusal(self, at: str) -> str | None:
        with self._lock:
            if self._refusals and self._refusals[0][0] == at:
                return self._refusals.pop(0)[1]
        return None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        refusal = self._take_refusal("RCPT")
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        refusal = self._take_refusal("DATA")
        if refusal:
            return refusal
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """aiosmtpd on 127.0.0.1, on a port of its own (each xdist worker gets a different one)."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.handler = _CollectingHandler()
        self.port = 0
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        """(MAIL FROM, RCPT TO list) of each accepted message, in order."""
        return self.handler.envelopes

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        """Start, or restart after stop() on the same port (the one EMAIL_PORT points at)."""
        if self._controller is not None:
            return
        restarting = bool(self.port)
        for attempt in range(5):
            if not restarting:
                self.port = _free_port()
            controller = Controller(self.handler, hostname=self.host, port=self.port)
            try:
                controller.start()
            except OSError:
                if attempt == 4:
                    raise
                time.sleep(0.1)
                continue
            self._controller = controller
            return

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(
        self, count: int = 1, reply: str = "451 4.3.0 Try again later", *, at: str = "DATA"
    ) -> None:
        """Refuse the next ``count`` messages with ``reply`` at the DATA (or RCPT) stage."""
        self.handler.refuse(count, reply, at.upper())

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        assert part is not None, "no text/plain part"
        return str(part.get_content())  # type: ignore[attr-defined]

    @staticmethod
    def html_of(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        assert part is not None, "no text/html part"
        return str(part.get_content())  # type: ignore[attr-defined]

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for ``address``."""
        return [m for m in self.messages if str(m["To"]) == address]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server; settings EMAIL_HOST/EMAIL_PORT point at it for the test."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    settings.APART_DEMO_MAILBOX = False
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def deliver_outbox(smtp_server: SmtpServer) -> Callable[..., str]:
    """Run the outbox worker once (``manage.py outbox_worker --once``); returns its output.

    ``deliver_outbox(now=datetime)`` runs it as if it were that instant (back-off bypassed).
    """

    def deliver(*, now: datetime | None = None) -> str:
        out = StringIO()
        if now is None:
            call_command("outbox_worker", "--once", stdout=out)
        else:
            call_command("outbox_worker", "--once", "--now", now.isoformat(), stdout=out)
        return out.getvalue()

    return deliver
