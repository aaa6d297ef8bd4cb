"""Delivering the outbox: claim due rows under a lease, send them over SMTP, mark them.

Guarantees, and their limits:
- Claiming is atomic: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` then the status change
  in the same transaction; on SQLite the IMMEDIATE transaction mode serialises writers. Two
  workers therefore never claim the same row while its lease runs.
- Sending happens outside any database transaction, one SMTP connection per batch; each row is
  marked sent right after the server accepted it.
- A worker killed between the server's acceptance and the mark leaves the row "sending" until
  its lease expires; it is then sent again: at most one duplicate, carrying the same Message-ID,
  so that mail systems and readers can de-duplicate.
- Nothing is lost: a server down or answering 4xx only postpones the row (exponential back-off,
  capped; retried at the cap for ever). Only a permanent (5xx) refusal of the recipient ends in
  "failed", which agents see with the server's answer.
"""

import contextlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apart.notifications.models import WIPED_BODY, OutboundEmail

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class DeliveryReport:
    claimed: int = 0
    sent: int = 0
    postponed: int = 0
    failed: int = 0


class _PermanentRefusal(Exception):
    """The server refused the recipient for good (5xx): retrying cannot help."""


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: base, 2×base, 4×base... capped (30 s, 1 min, 2 min... 1 h)."""
    base = settings.APART_OUTBOX_RETRY_BASE_SECONDS
    cap = settings.APART_OUTBOX_RETRY_MAX_SECONDS
    exponent = min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(base * 2**exponent, cap))


def sender_address(from_name: str = "") -> str:
    name = from_name or settings.APART_EMAIL_FROM_NAME
    return formataddr((name, settings.DEFAULT_FROM_EMAIL)) if name else settings.DEFAULT_FROM_EMAIL


def _due(now: datetime) -> Q:
    queued = Q(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now)
    lease_expired = Q(status=OutboundEmail.Status.SENDING, claimed_until__lt=now)
    return queued | lease_expired


def claim_due_emails(*, now: datetime, limit: int) -> list[OutboundEmail]:
    """Take up to ``limit`` due rows for this worker, under a lease, in one short transaction."""
    lease_until = now + timedelta(seconds=settings.APART_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.SENDING,
            claimed_until=lease_until,
            attempts=F("attempts") + 1,
        )
        return list(OutboundEmail.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"))


def _ours(email: OutboundEmail) -> Any:
    """Our claim on the row: a worker whose lease expired must not overwrite another's."""
    return OutboundEmail.objects.filter(
        pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_until=email.claimed_until
    )


def _mark_sent(email: OutboundEmail, *, now: datetime, wipe: bool) -> None:
    changes: dict[str, Any] = {
        "status": OutboundEmail.Status.SENT,
        "sent_at": now,
        "claimed_until": None,
        "last_error": "",
    }
    if wipe:
        changes |= {"body_text": WIPED_BODY, "body_html": WIPED_BODY}
    _ours(email).update(**changes)


def _postpone(email: OutboundEmail, *, now: datetime, error: str) -> None:
    _ours(email).update(
        status=OutboundEmail.Status.QUEUED,
        next_attempt_at=now + retry_delay(email.attempts),
        claimed_until=None,
        last_error=error[:2000],
    )


def _release(emails: list[OutboundEmail], *, now: datetime) -> None:
    """Give back claimed rows we did not try (stopping, lease running out): no attempt spent."""
    for email in emails:
        _ours(email).update(
            status=OutboundEmail.Status.QUEUED,
            next_attempt_at=now,
            claimed_until=None,
            attempts=F("attempts") - 1,
        )


def _fail(email: OutboundEmail, *, error: str) -> None:
    changes: dict[str, Any] = {
        "status": OutboundEmail.Status.FAILED,
        "claimed_until": None,
        "last_error": error[:2000],
    }
    if email.sensitive:
        changes |= {"body_text": WIPED_BODY, "body_html": WIPED_BODY}
    _ours(email).update(**changes)


class _OutboxMessage(EmailMultiAlternatives):
    def message(self, **kwargs: Any) -> Any:
        msg = super().message(**kwargs)
        # Django folds a long non-ASCII subject as "Subject: \n =?utf-8?...": readers then see
        # a leading space. A Header that knows its name folds it on the first line.
        del msg["Subject"]
        Message.__setitem__(
            msg, "Subject", Header(str(self.subject), "utf-8", header_name="Subject")
        )
        return msg


def _build_message(email: OutboundEmail, connection: Any) -> EmailMultiAlternatives:
    message = _OutboxMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=sender_address(email.from_name),
        to=[email.to],
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    message.attach_alternative(email.body_html, "text/html")
    return message


def _send_one(email: OutboundEmail, connection: Any) -> None:
    try:
        connection.send_messages([_build_message(email, connection)])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise _PermanentRefusal(_describe(exc)) from exc
        raise


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{rcpt}: {code} {reply.decode(errors='replace')}"
            for rcpt, (code, reply) in exc.recipients.items()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def _connection_is_broken(connection: Any) -> bool:
    """True once the server hung up (a 421 reply makes smtplib close the socket, for one)."""
    smtp = connection.connection
    return smtp is None or getattr(smtp, "sock", None) is None


def _deliver_to_demo_mailbox(emails: list[OutboundEmail], clock: Clock) -> DeliveryReport:
    """Development aid: the demo mailbox page shows the rows; bodies are kept, even sensitive."""
    for email in emails:
        _mark_sent(email, now=clock(), wipe=False)
    return DeliveryReport(claimed=len(emails), sent=len(emails))


def _deliver_over_smtp(
    emails: list[OutboundEmail], clock: Clock, should_stop: Callable[[], bool]
) -> DeliveryReport:
    report = DeliveryReport(claimed=len(emails))
    # Always SMTP (settings EMAIL_HOST...): the outbox is the only way our emails leave, and
    # the test runner's in-memory EMAIL_BACKEND must not swallow them.
    connection = SmtpBackend(fail_silently=False)
    # Stop starting new sends once the lease is this close to its end (a send may take the
    # SMTP timeout for each of its few round trips).
    margin = timedelta(seconds=4 * settings.EMAIL_TIMEOUT)
    opened = False
    try:
        for index, email in enumerate(emails):
            lease_end = email.claimed_until or clock()
            if should_stop() or clock() >= lease_end - margin:
                _release(emails[index:], now=clock())
                break
            if not opened:
                try:
                    connection.open()
                    opened = True
                except Exception as exc:  # server down: the whole rest of the batch waits
                    logger.warning("SMTP server unreachable: %s", _describe(exc))
                    for waiting in emails[index:]:
                        _postpone(waiting, now=clock(), error=_describe(exc))
                    report.postponed += len(emails) - index
                    break
            try:
                _send_one(email, connection)
            except _PermanentRefusal as exc:
                logger.warning("email %s refused for good: %s", email.pk, exc)
                _fail(email, error=str(exc))
                report.failed += 1
            except Exception as exc:  # any other failure postpones the row: never lost
                logger.warning("email %s postponed: %s", email.pk, _describe(exc))
                _postpone(email, now=clock(), error=_describe(exc))
                report.postponed += 1
                if _connection_is_broken(connection):
                    _close_quietly(connection)
                    opened = False
            else:
                _mark_sent(email, now=clock(), wipe=email.sensitive)
                report.sent += 1
    finally:
        if opened:
            _close_quietly(connection)
    return report


def _close_quietly(connection: Any) -> None:
    with contextlib.suppress(Exception):  # a dead connection needs no goodbye
        connection.close()


def deliver_due_emails(
    *,
    now: datetime | None = None,
    limit: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Claim one batch of due emails and deliver it (SMTP, or the demo mailbox in development).

    ``now`` replaces the clock (tests, or an operator forcing the retry of postponed emails).
    """
    clock: Clock = (lambda: now) if now is not None else timezone.now
    batch = claim_due_emails(now=clock(), limit=limit or settings.APART_OUTBOX_BATCH_SIZE)
    if not batch:
        return DeliveryReport()
    if settings.APART_DEMO_MAILBOX:
        return _deliver_to_demo_mailbox(batch, clock)
    return _deliver_over_smtp(batch, clock, should_stop)
