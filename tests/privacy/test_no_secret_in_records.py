"""Logs, audit rows and delivered emails hold no password, token or secret answer.

The registration, first login, password change and password recovery journeys run for real
(real SMTP, real worker); then every audit row, every outbox row and every log record captured
(all loggers, DEBUG) is searched for the plaintext secrets used along the way.
"""

import logging
import re

import pytest

from apart.audit.models import AuditEvent
from apart.notifications.models import OutboundEmail
from apart.registration.models import RegistrationRequest
from tests.accounts.helpers import submit_login, submit_password_change
from tests.recovery.helpers import (
    PASSWORD_QUESTION,
    answer,
    ask_password_reset,
    reset_link_path,
    submit,
)
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import register

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "Mon-Chat-Zebulon-1987"
NEW_PASSWORD = "Premier-Changement9!"
RESET_PASSWORD = "Apres-Oubli-Reset7?"


@pytest.fixture(autouse=True)
def _no_login_checks(settings):
    settings.APART_LOGIN_CHECKS = []  # the habilitation gate has its own tests


def _all_records() -> str:
    audit = [
        f"{e.action} {e.old_values} {e.new_values} {e.reason} {e.user_agent}"
        for e in AuditEvent.objects.all()
    ]
    emails = [
        f"{m.subject} {m.body_text} {m.body_html} {m.last_error}"
        for m in OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT, sensitive=True)
    ]
    requests = [str(vars(r)) for r in RegistrationRequest.objects.all()]
    return "\n".join(audit + emails + requests)


def test_no_secret_reaches_the_audit_the_outbox_or_the_logs(
    client, smtp_server, deliver_outbox, caplog
):
    caplog.set_level(logging.DEBUG)
    typed = {**establishment(), **person(secret_answer=SECRET_ANSWER)}
    assert register(client, make_sirene().siret, typed).status_code == 302
    deliver_outbox()
    login = re.search(
        r"identifiant de connexion:\s*(\S+)", smtp_server.text_of(smtp_server.messages[0])
    )
    temporary = re.search(r"\[(.+)\]", smtp_server.text_of(smtp_server.messages[1]))
    assert login and temporary
    secrets = {
        "temporary password": temporary.group(1),
        "new password": NEW_PASSWORD,
        "reset password": RESET_PASSWORD,
        "secret answer": SECRET_ANSWER,
    }

    client.cookies.clear()
    assert submit_login(client, login.group(1), temporary.group(1)).status_code == 302
    assert submit_password_change(client, temporary.group(1), NEW_PASSWORD).status_code == 302
    client.post("/deconnexion/")
    client.cookies.clear()
    ask_password_reset(client, login.group(1))
    answer(client, PASSWORD_QUESTION, SECRET_ANSWER)
    deliver_outbox()
    link = reset_link_path(smtp_server.text_of(smtp_server.messages[-1]))
    secrets["reset token"] = link.rstrip("/").rsplit("/", 1)[1]
    reset = submit(client, link, {"password1": RESET_PASSWORD, "password2": RESET_PASSWORD})
    assert reset.status_code == 302
    deliver_outbox()
    assert submit_login(client, login.group(1), RESET_PASSWORD).status_code == 302

    records = _all_records()
    # "mail.log" is aiosmtpd, the test's receiving SMTP server: it logs what it receives.
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]
    logs = "\n".join(r.getMessage() + " " + str(r.args) for r in ours)
    assert AuditEvent.objects.count() >= 8 and len(ours) >= 1
    leaks = [
        f"{what} in {where}"
        for what, secret in secrets.items()
        for where, text in (("records", records), ("logs", logs))
        if secret.lower() in text.lower()
    ]
    assert leaks == []
