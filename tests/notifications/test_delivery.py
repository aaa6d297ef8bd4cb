from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from apart.notifications.delivery import claim_due_emails, retry_delay
from apart.notifications.models import WIPED_BODY, OutboundEmail
from tests.notifications.helpers import queue_check

pytestmark = pytest.mark.django_db

CONFIDENTIALITY_FR = "Ce message peut contenir des INFORMATIONS CONFIDENTIELLES"
CONFIDENTIALITY_EN = "This message may contain CONFIDENTIAL INFORMATION"


def later(seconds: float) -> timezone.datetime:
    return timezone.now() + timedelta(seconds=seconds)


def test_a_queued_email_reaches_the_smtp_server_with_its_headers_and_both_parts(
    smtp_server, deliver_outbox
):
    email = queue_check(to="jean.dupont@example.com", context={"note": "Bienvenue."})

    deliver_outbox()

    [message] = smtp_server.messages
    assert message["From"] == '"Agence de Services et de Paiement (ASP)" <noreply@asp-public.fr>'
    assert message["To"] == "jean.dupont@example.com"
    assert message["Subject"] == email.subject
    assert message["Message-ID"] == email.message_id
    assert smtp_server.envelopes == [("noreply@asp-public.fr", ["jean.dupont@example.com"])]
    text, html = smtp_server.text_of(message), smtp_server.html_of(message)
    assert "Bienvenue." in text
    assert "<p>Bienvenue.</p>" in html
    for body in (text, html):
        assert "Cet e-mail a été généré automatiquement. Merci de ne pas y répondre." in body
        assert CONFIDENTIALITY_FR in body
        assert CONFIDENTIALITY_EN in body


def test_a_delivered_email_is_marked_sent_and_never_sent_again(smtp_server, deliver_outbox):
    email = queue_check()

    deliver_outbox()
    deliver_outbox(now=later(7 * 24 * 3600))

    assert len(smtp_server.messages) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_the_sender_display_name_is_configurable(settings, smtp_server, deliver_outbox):
    settings.APART_EMAIL_FROM_NAME = ""
    queue_check()

    deliver_outbox()

    assert smtp_server.messages[0]["From"] == "noreply@asp-public.fr"


def test_a_rolled_back_transaction_sends_nothing(smtp_server, deliver_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_check()
        raise RuntimeError("rolled back")

    deliver_outbox()

    assert smtp_server.messages == []


def test_with_the_server_down_emails_wait_with_back_off(smtp_server, deliver_outbox):
    smtp_server.stop()
    queue_check(to="a@example.com")
    queue_check(to="b@example.com")

    deliver_outbox()

    for email in OutboundEmail.objects.all():
        assert email.status == OutboundEmail.Status.QUEUED
        assert email.attempts == 1
        assert email.last_error
        assert later(20) < email.next_attempt_at < later(40)  # first back-off: 30 s


def test_emails_postponed_are_not_retried_before_their_back_off(smtp_server, deliver_outbox):
    smtp_server.stop()
    queue_check()
    deliver_outbox()
    smtp_server.start()

    deliver_outbox()

    assert smtp_server.messages == []
    assert OutboundEmail.objects.get().attempts == 1


def test_once_the_server_is_back_every_waiting_email_goes_exactly_once(smtp_server, deliver_outbox):
    smtp_server.stop()
    queued = [queue_check(to=f"personne{n}@example.com") for n in range(5)]
    deliver_outbox()
    deliver_outbox(now=later(31))  # still down: second attempt, back-off doubles
    assert all(e.attempts == 2 for e in OutboundEmail.objects.all())
    smtp_server.start()

    deliver_outbox(now=later(31 + 61))
    deliver_outbox(now=later(3600))

    received = sorted(str(m["Message-ID"]) for m in smtp_server.messages)
    assert received == sorted(e.message_id for e in queued)
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_temporary_refusal_postpones_only_the_refused_email(smtp_server, deliver_outbox):
    smtp_server.refuse(1, "451 4.3.0 Try again later")
    refused, accepted = queue_check(to="a@example.com"), queue_check(to="b@example.com")

    deliver_outbox()

    assert [str(m["To"]) for m in smtp_server.messages] == ["b@example.com"]
    refused.refresh_from_db()
    assert refused.status == OutboundEmail.Status.QUEUED
    assert refused.last_error == "451 4.3.0 Try again later"
    accepted.refresh_from_db()
    assert accepted.status == OutboundEmail.Status.SENT


def test_temporarily_refused_emails_go_on_a_later_attempt(smtp_server, deliver_outbox):
    smtp_server.refuse(2, "421 4.7.0 Too many connections, try later")
    smtp_server.refuse(1, "450 4.2.1 Mailbox busy", at="RCPT")
    for n in range(4):
        queue_check(to=f"personne{n}@example.com")

    deliver_outbox()
    assert len(smtp_server.messages) == 1
    deliver_outbox(now=later(31))

    assert sorted(str(m["To"]) for m in smtp_server.messages) == [
        f"personne{n}@example.com" for n in range(4)
    ]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_permanent_refusal_of_the_recipient_is_kept_visible_and_not_retried(
    smtp_server, deliver_outbox
):
    smtp_server.refuse(1, "550 5.1.1 User unknown", at="RCPT")
    email = queue_check(to="inconnu@example.com")

    deliver_outbox()
    deliver_outbox(now=later(7 * 24 * 3600))

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "550 5.1.1 User unknown" in email.last_error
    assert email.attempts == 1
    assert smtp_server.messages == []


def test_back_off_doubles_from_30_seconds_up_to_one_hour_and_stays_there():
    delays = [retry_delay(attempts).total_seconds() for attempts in (1, 2, 3, 4, 8, 50, 10_000)]

    assert delays == [30, 60, 120, 240, 3600, 3600, 3600]


def test_a_sensitive_body_is_wiped_once_delivered(smtp_server, deliver_outbox):
    email = queue_check(context={"note": "Mot de passe : [jmé=pck-]"}, sensitive=True)

    deliver_outbox()

    assert "[jmé=pck-]" in smtp_server.text_of(smtp_server.messages[0])
    email.refresh_from_db()
    assert email.body_text == WIPED_BODY
    assert email.body_html == WIPED_BODY


def test_a_sensitive_body_is_kept_while_the_email_waits(smtp_server, deliver_outbox):
    smtp_server.stop()
    email = queue_check(context={"note": "Mot de passe : [jmé=pck-]"}, sensitive=True)

    deliver_outbox()

    email.refresh_from_db()
    assert "[jmé=pck-]" in email.body_text


def test_an_email_claimed_by_a_worker_that_died_is_sent_once_its_lease_expires(
    settings, smtp_server, deliver_outbox
):
    email = queue_check()
    claim_due_emails(now=timezone.now(), limit=10)  # a worker claims it, then is killed

    deliver_outbox()
    assert smtp_server.messages == []  # the lease still runs: nobody else touches it

    deliver_outbox(now=later(settings.APART_OUTBOX_LEASE_SECONDS + 1))

    [message] = smtp_server.messages
    assert message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_delivery_works_beside_a_live_server(live_server, smtp_server, deliver_outbox):
    queue_check()  # as if a browser had submitted a form to the live server

    deliver_outbox()

    assert len(smtp_server.messages) == 1
