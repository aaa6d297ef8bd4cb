"""The PostgreSQL connection dies in the middle of a registration and of an agent's decision:
nothing half-written stays, the person sees the French error page (no traceback), and doing it
again works. The connection is killed from outside (tests/hardening/faults.py)."""

import pytest
from django.test import Client

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment
from apart.habilitations.models import Habilitation, HabilitationEvent
from apart.notifications.models import OutboundEmail
from apart.registration.models import RegistrationRequest
from tests.conftest import CsrfClient
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent, make_habilitation
from tests.hardening.discovery import parse_forms
from tests.hardening.faults import kill_while_writing
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import CAPTCHA, STEP2, submit_step1

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

OUTBOX = OutboundEmail._meta.db_table


def _error_page(response):
    html = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html and "terminat" not in html


def _registration_rows(email: str, siret: str) -> dict[str, int]:
    return {
        "accounts": Account.objects.filter(email=email).count(),
        "establishments": Establishment.objects.filter(siret=siret).count(),
        "requests": RegistrationRequest.objects.filter(siret=siret).count(),
        "habilitations": Habilitation.objects.filter(account__email=email).count(),
        "emails": OutboundEmail.objects.filter(to=email).count(),
        "audit": AuditEvent.objects.filter(account__email=email).count(),
    }


def test_a_registration_cut_off_by_the_database_leaves_nothing_and_can_be_retried():
    siret = make_sirene().siret
    typed = {**establishment(), **person(), **CAPTCHA}
    browser = CsrfClient(raise_request_exception=False)
    assert submit_step1(browser, siret).status_code == 302
    browser.get(STEP2)

    # The account, establishment and habilitation are written; the outbox insert waits, dies.
    killed = kill_while_writing(OUTBOX, lambda: browser.post(STEP2, typed))

    _error_page(killed.response)
    assert _registration_rows(typed["email"], siret) == dict.fromkeys(
        ["accounts", "establishments", "requests", "habilitations", "emails", "audit"], 0
    )
    assert submit_step1(browser, siret).status_code == 302
    browser.get(STEP2)
    retried = browser.post(STEP2, typed)
    assert retried.status_code == 302
    rows = _registration_rows(typed["email"], siret)
    assert rows.pop("audit") >= 1
    assert rows == {
        "accounts": 1,
        "establishments": 1,
        "requests": 1,
        "habilitations": 1,
        "emails": 2,
    }


def test_an_agent_decision_cut_off_by_the_database_leaves_the_request_pending():
    pending = make_habilitation()
    agent = make_agent(role=Account.Role.INSTRUCTOR)
    browser = Client(raise_request_exception=False)
    browser.force_login(agent)
    page = f"/gestion/demandes/{pending.pk}/"
    [approve] = [
        form
        for form in parse_forms(browser.get(page).content.decode(), page)
        if form.action.endswith("/approuver/")
    ]
    data = confirmed({name: values[-1] for name, values in approve.initial().items()})

    killed = kill_while_writing(OUTBOX, lambda: browser.post(approve.action, data))

    _error_page(killed.response)
    pending.refresh_from_db()
    assert pending.status == Habilitation.Status.PENDING
    assert pending.decided_by is None
    assert HabilitationEvent.objects.filter(habilitation=pending, new_status="active").count() == 0
    assert OutboundEmail.objects.count() == 0
    retried = browser.post(approve.action, data)
    assert retried.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Habilitation.Status.ACTIVE
    assert OutboundEmail.objects.filter(to=pending.account.email).count() == 1
