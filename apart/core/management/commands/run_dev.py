"""`make run`: the development server with the email outbox worker beside it."""

import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Unwind through the `finally` below, so the worker does not outlive the server.
    sys.exit(0)


class Command(BaseCommand):
    help = "Serve the site for development, with the outbox worker delivering emails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, addr: str, **options: Any) -> None:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "outbox_worker"]
        )
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            worker.terminate()  # the worker finishes the email in hand, then exits
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
