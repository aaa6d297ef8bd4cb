"""Limits: wrong secret answers per account (3, then 30 minutes locked, holder warned), per IP
posts and captcha failures, emails per hour; atomic under parallel requests."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from apart.accounts.recovery.journey import Flow, Journey
from apart.accounts.recovery.services import AnswerOutcome, answer_secret_question
from apart.audit.models import AuditEvent
from apart.notifications.models import OutboundEmail
from tests.accounts.factories import make_active_account
from tests.recovery.helpers import (
    ANSWER,
    LOGIN_QUESTION,
    LOGIN_SENT,
    PASSWORD_QUESTION,
    PASSWORD_SENT,
    answer,
    ask_login,
    ask_password_reset,
    html,
)

pytestmark = pytest.mark.django_db

LOCKED = "la récupération est bloquée pendant 30 minutes"
TOO_MANY = "Trop de tentatives depuis votre connexion."


def three_wrong_answers(client, url):
    return [answer(client, url, "Neuf cents") for _ in range(3)]


def test_the_third_wrong_answer_locks_recovery(client, account):
    ask_password_reset(client, account.login)

    first, second, third = three_wrong_answers(client, PASSWORD_QUESTION)

    assert "Il vous reste 2 essais." in html(first)
    assert "Il vous reste 1 essai." in html(second)
    assert LOCKED in html(third)
    assert 'name="answer"' not in html(third)


def test_the_right_answer_is_refused_while_locked(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)

    response = answer(client, PASSWORD_QUESTION, ANSWER)

    assert LOCKED in html(response)
    deliver_outbox()
    assert [m["Subject"] for m in smtp_server.messages] == ["Récupération de votre compte bloquée"]


def test_the_holder_is_warned_by_email(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)
    deliver_outbox()

    [message] = smtp_server.messages
    assert message["To"] == account.email
    body = smtp_server.text_of(message)
    assert "3 réponses erronées à votre question secrète" in body
    assert "bloquée pendant 30 minutes" in body
    assert "Votre mot de passe n'a pas été modifié." in body


def test_the_lock_lasts_thirty_minutes(client, account, settings):
    settings.REDIS_URL = ""  # the database counters follow the travelling clock; Redis TTLs do not
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)

    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        ask_password_reset(client, account.login)
        assert LOCKED in html(answer(client, PASSWORD_QUESTION, ANSWER))
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        ask_password_reset(client, account.login)
        response = answer(client, PASSWORD_QUESTION, ANSWER)
    assert response.url == PASSWORD_SENT


def test_the_lock_is_audited(client, account):
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)

    assert (
        AuditEvent.objects.filter(account=account, action="recovery.password.locked").count() == 1
    )
    assert AuditEvent.objects.filter(account=account, action="recovery.account_locked").count() == 1
    assert (
        AuditEvent.objects.filter(account=account, action="recovery.password.answer_failed").count()
        == 3
    )


def test_an_unknown_value_is_locked_the_same_way(client):
    ask_password_reset(client, "personne.inconnue")

    *_, third = three_wrong_answers(client, PASSWORD_QUESTION)

    assert LOCKED in html(third)
    assert AuditEvent.objects.filter(action="recovery.password.locked", account=None).count() == 1


def test_the_lock_is_per_account_across_both_journeys(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)

    other = Client()
    ask_login(other, account.email)
    response = answer(other, LOGIN_QUESTION, ANSWER)

    # Not recovered, and the page does not say "locked" (that would link the email to the login).
    assert response.status_code == 200
    assert "La réponse secrète est incorrecte." in html(response)
    deliver_outbox()
    assert all("identifiant" not in m["Subject"].lower() for m in smtp_server.messages)


def test_a_right_answer_forgets_the_wrong_ones_before_it(client, account):
    ask_login(client, account.email)
    answer(client, LOGIN_QUESTION, "Neuf cents")
    answer(client, LOGIN_QUESTION, "Huit cents")
    assert answer(client, LOGIN_QUESTION, ANSWER).url == LOGIN_SENT

    ask_login(client, account.email)
    response = answer(client, LOGIN_QUESTION, "Neuf cents")

    assert "Il vous reste 2 essais." in html(response)


def test_posts_per_ip_are_limited(client, account, settings):
    settings.APART_RECOVERY_IP_MAX_POSTS = 2
    for _ in range(2):
        assert ask_password_reset(client, account.login).status_code == 302

    response = ask_password_reset(client, account.login)

    assert response.status_code == 429
    assert TOO_MANY in html(response)


def test_answers_per_ip_are_limited(client, account, settings):
    settings.APART_RECOVERY_IP_MAX_POSTS = 1
    ask_login(client, account.email)
    answer(client, LOGIN_QUESTION, "Neuf cents")

    response = answer(client, LOGIN_QUESTION, ANSWER)

    assert response.status_code == 429


def test_captcha_failures_per_ip_are_limited(client, account, settings):
    settings.APART_RECOVERY_IP_MAX_CAPTCHA_FAILURES = 2
    for _ in range(2):
        ask_password_reset(client, account.login, captcha="faux")

    response = ask_password_reset(client, account.login)

    assert response.status_code == 429
    assert TOO_MANY in html(response)


def test_emails_per_account_and_hour_are_limited(
    client, account, settings, smtp_server, deliver_outbox
):
    settings.APART_RECOVERY_MAX_EMAILS_PER_HOUR = 2
    for _ in range(3):
        ask_login(client, account.email)
        assert answer(client, LOGIN_QUESTION, ANSWER).url == LOGIN_SENT

    deliver_outbox()
    assert len(smtp_server.messages) == 2
    assert AuditEvent.objects.filter(action="recovery.login.email_limited").count() == 1


def test_a_locked_lookalike_value_is_the_same_value(client, account):
    ask_password_reset(client, account.login)
    three_wrong_answers(client, PASSWORD_QUESTION)

    ask_password_reset(client, f"  {account.login.upper()} ")

    assert LOCKED in html(client.get(PASSWORD_QUESTION))


# --- Parallel requests (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_answers_verify_at_most_three():
    account = make_active_account(first_name="Para", last_name="Llele", secret_answer=ANSWER)
    journey = Journey(flow=Flow.PASSWORD, typed=account.login, started_at=0)
    barrier = threading.Barrier(10)
    outcomes: list[AnswerOutcome] = []
    lock = threading.Lock()

    def attempt() -> None:
        try:
            barrier.wait()
            result = answer_secret_question(journey=journey, answer="Neuf cents")
            with lock:
                outcomes.append(result.outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 10
    assert outcomes.count(AnswerOutcome.WRONG) == 2
    assert outcomes.count(AnswerOutcome.LOCKED) == 8
    verified = AuditEvent.objects.filter(action="recovery.password.answer_failed", account=account)
    assert verified.count() == 3
    assert OutboundEmail.objects.filter(template="recovery/emails/recovery_locked").count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_right_answers_after_the_lock_send_nothing():
    account = make_active_account(first_name="Para", last_name="Verrou", secret_answer=ANSWER)
    journey = Journey(flow=Flow.LOGIN, typed=account.email, started_at=0)
    for _ in range(3):
        answer_secret_question(journey=journey, answer="Neuf cents")
    barrier = threading.Barrier(8)
    outcomes: list[AnswerOutcome] = []

    def attempt() -> None:
        try:
            barrier.wait()
            outcomes.append(answer_secret_question(journey=journey, answer=ANSWER).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == [AnswerOutcome.LOCKED] * 8
    assert not OutboundEmail.objects.filter(template="recovery/emails/login_reminder").exists()
