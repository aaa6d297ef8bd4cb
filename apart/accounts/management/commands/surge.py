"""Switch the surge mode on or off, or say whether it is on (apart.core.quotas)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import date_format

from apart.audit.actions import AuditAction
from apart.audit.services import record_event
from apart.core import quotas


class Command(BaseCommand):
    help = "Surge mode: every per-address and global quota divided by APART_SURGE_DIVISOR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("state", choices=["on", "off", "status"])
        parser.add_argument("--hours", type=float, default=6.0, help="duration (on; default 6)")

    def handle(self, *args: Any, **options: Any) -> None:
        state = options["state"]
        if state == "on":
            if not 0 < options["hours"] <= 72:
                raise CommandError("--hours must be between 0 and 72")
            ends = quotas.switch_surge_on(hours=options["hours"])
            record_event(action=AuditAction.OPERATOR_SURGE_ON, new={"until": ends.isoformat()})
        elif state == "off":
            quotas.switch_surge_off()
            record_event(action=AuditAction.OPERATOR_SURGE_OFF)
        until = quotas.surge_until()
        if until is None:
            self.stdout.write("Mode surcharge : inactif.")
        else:
            local = timezone.localtime(until)
            when = f"{date_format(local, 'd/m/Y')} à {date_format(local, 'H:i')}"
            self.stdout.write(f"Mode surcharge : actif jusqu'au {when}.")
