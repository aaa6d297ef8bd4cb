"""Agents decide (instructeur role); the employer is told by email and finds the decision,
with its PDF, in « Mes Décisions d'Autorisation »."""

import html
import threading
from decimal import Decimal

import pytest
from django.db import connection

from apart.audit.models import AuditEvent
from apart.core.errors import AlreadyDecided
from apart.dap import services
from apart.dap.models import AuthorisationRequest, Decision
from apart.notifications.models import OutboundEmail
from tests.dap.factories import employer_with_complete_fiche, make_accepted, make_submitted
from tests.dap.pdfs import text_of, words
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db


def _text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def instructor(client):
    agent = make_agent()
    client.force_login(agent)
    return agent


@pytest.fixture
def submitted():
    account, establishment = employer_with_complete_fiche()
    return make_submitted(account, establishment)


def test_the_queue_lists_transmitted_dap_not_drafts(client, instructor, submitted):
    from tests.dap.factories import make_draft

    draft = make_draft(submitted.created_by, submitted.establishment)

    page = _text(client.get("/gestion/autorisations/"))

    assert submitted.reference in page
    assert draft.reference not in page
    assert client.get(f"/gestion/autorisations/{draft.pk}/").status_code == 404


def test_an_agent_takes_a_dap_in_instruction(client, instructor, submitted):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    client.post(f"/gestion/autorisations/{submitted.pk}/instruire/", {})

    submitted.refresh_from_db()
    assert submitted.status == AuthorisationRequest.Status.UNDER_INSTRUCTION
    assert submitted.instructed_by == instructor
    assert AuditEvent.objects.filter(action="dap.instruction_started").exists()


def test_an_agent_accepts_and_the_employer_gets_the_email(
    client, instructor, submitted, smtp_server, deliver_outbox
):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    response = client.post(
        f"/gestion/autorisations/{submitted.pk}/autoriser/",
        confirmed(
            {"autoriser-hours_authorised": "450", "autoriser-reason": "Baisse d'activité établie."},
            prefix="autoriser",
        ),
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.accepted and not decision.implicit
    assert decision.hours_authorised == Decimal("450")
    assert decision.decided_by == instructor
    submitted.refresh_from_db()
    assert submitted.status == AuthorisationRequest.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="dap.acceptee", actor=instructor).exists()
    deliver_outbox()
    [message] = smtp_server.messages
    assert message["To"] == submitted.created_by.email
    body = smtp_server.text_of(message)
    assert "est acceptée" in body
    assert "Heures autorisées : 450,00" in body
    assert "Baisse d'activité établie." in body


def test_more_hours_than_requested_cannot_be_authorised(client, instructor, submitted):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    response = client.post(
        f"/gestion/autorisations/{submitted.pk}/autoriser/",
        confirmed(
            {"autoriser-hours_authorised": "601", "autoriser-reason": ""}, prefix="autoriser"
        ),
    )

    assert response.status_code == 400
    assert "ne pas dépasser les heures demandées" in _text(response)
    assert not Decision.objects.exists()


def test_a_refusal_needs_its_reason(client, instructor, submitted):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    response = client.post(
        f"/gestion/autorisations/{submitted.pk}/refuser/",
        confirmed({"refuser-reason": " "}, prefix="refuser"),
    )

    assert response.status_code == 400
    assert "Indiquez le motif du refus." in _text(response)
    assert 'id="id_refuser-reason-desc-error"' in _text(response)


def test_an_agent_refuses_with_the_reason_sent_to_the_employer(client, instructor, submitted):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    client.post(
        f"/gestion/autorisations/{submitted.pk}/refuser/",
        confirmed({"refuser-reason": "Motif économique non établi."}, prefix="refuser"),
    )

    decision = Decision.objects.get()
    assert decision.outcome == Decision.Outcome.REFUSED
    assert decision.hours_authorised == 0
    submitted.refresh_from_db()
    assert submitted.status == AuthorisationRequest.Status.REFUSED
    email = OutboundEmail.objects.get(template="dap/emails/decision")
    assert "est refusée" in email.body_text
    assert "Motif économique non établi." in email.body_text


def test_a_second_decision_is_refused_with_a_message(client, instructor, submitted):
    services.decide_dap(dap=submitted, actor=make_agent(), accept=False, reason="Non.")
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    response = client.post(
        f"/gestion/autorisations/{submitted.pk}/autoriser/",
        confirmed(
            {"autoriser-hours_authorised": "600", "autoriser-reason": ""}, prefix="autoriser"
        ),
    )

    assert response.status_code == 302
    assert "Une décision a déjà été prise sur cette demande." in _text(
        client.get(response["Location"])
    )
    assert Decision.objects.get().outcome == Decision.Outcome.REFUSED


def test_employers_and_assistance_agents_cannot_decide(client, submitted):
    client.force_login(make_agent(role="assistance"))
    assert client.get("/gestion/autorisations/").status_code == 403
    client.force_login(submitted.created_by)
    assert client.get(f"/gestion/autorisations/{submitted.pk}/").status_code == 403


def test_mes_decisions_lists_the_decision_and_serves_its_pdf(client):
    account, establishment = employer_with_complete_fiche()
    decision = make_accepted(account, establishment, hours=Decimal("480"))
    log_in(client, account)

    page = _text(client.get("/espace/decisions/"))
    document = client.get(f"/espace/decisions/{decision.pk}/decision.pdf")

    assert "Mes Décisions d'Autorisation" in page
    assert decision.reference in page
    assert document.status_code == 200
    assert document["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF-")
    text = words(text_of(document.content))
    for expected in (establishment.denomination, establishment.siret, "480,00", "autoris"):
        assert expected in text


def test_another_employers_decision_pdf_is_a_404(client):
    account, establishment = employer_with_complete_fiche()
    decision = make_accepted(account, establishment)
    stranger, _ = employer_with_complete_fiche()
    log_in(client, stranger)

    assert client.get(f"/espace/decisions/{decision.pk}/decision.pdf").status_code == 404


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_agents_deciding_at_once_one_wins():
    from tests.habilitations.factories import ensure_applications

    ensure_applications()
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    agents = [make_agent(), make_agent()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(agent, accept):
        try:
            barrier.wait()
            services.decide_dap(dap=dap, actor=agent, accept=accept, reason="Décision.")
            outcomes.append("decided")
        except AlreadyDecided:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(agents[0], True)),
        threading.Thread(target=decide, args=(agents[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already", "decided"]
    assert Decision.objects.count() == 1
    assert OutboundEmail.objects.filter(template="dap/emails/decision").count() == 1


def test_the_decision_row_holds_the_agents_address_and_browser(client, instructor, submitted):
    client.get(f"/gestion/autorisations/{submitted.pk}/")

    client.post(
        f"/gestion/autorisations/{submitted.pk}/refuser/",
        confirmed({"refuser-reason": "Motif économique non établi."}, prefix="refuser"),
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox/140",
    )

    event = AuditEvent.objects.get(action="dap.refusee")
    assert (event.actor, event.ip_address, event.user_agent) == (
        instructor,
        "198.51.100.7",
        "Firefox/140",
    )


UNCONFIRMED = "Cochez « Je confirme cette décision » pour enregistrer la décision"


@pytest.mark.parametrize(
    ("action", "data", "typed"),
    [
        (
            "autoriser",
            {"autoriser-hours_authorised": "450", "autoriser-reason": "Baisse établie."},
            "Baisse établie.",
        ),
        ("refuser", {"refuser-reason": "Motif non établi."}, "Motif non établi."),
    ],
)
def test_a_decision_without_confirmation_changes_nothing_and_keeps_what_was_typed(
    client, instructor, submitted, action, data, typed
):
    client.get(f"/gestion/autorisations/{submitted.pk}/")
    audit_rows = AuditEvent.objects.count()

    response = client.post(f"/gestion/autorisations/{submitted.pk}/{action}/", data)

    page = _text(response)
    assert response.status_code == 400
    assert UNCONFIRMED in page
    assert f'aria-describedby="id_{action}-confirmed-desc-error"' in page
    assert f"{typed}</textarea>" in page
    assert not Decision.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == AuthorisationRequest.Status.SUBMITTED
    assert AuditEvent.objects.count() == audit_rows
    assert not OutboundEmail.objects.filter(template="dap/emails/decision").exists()
