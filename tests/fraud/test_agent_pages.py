"""Agents see the risk and its reasons in the queues and on the item pages, filter and sort by
it, examine the signals (audited), and a high risk needs a second agent."""

import csv
import datetime
import html
import io

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims import services as claims
from apart.dap import services as dap_services
from apart.dap.models import AuthorisationRequest
from apart.establishments.services.spaces import EstablishmentDetails
from apart.fraud.models import Assessment
from apart.fraud.services import review_signals
from apart.habilitations.dates import PARIS
from apart.habilitations.models import Habilitation
from apart.registration.services import PersonDetails, register_space
from tests.dap.factories import make_submitted
from tests.decisions import confirmed
from tests.fraud.factories import ordinary_employer, pattern_2020
from tests.fraud.test_scenarios import submitted_claim_of
from tests.habilitations.factories import ensure_applications, make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    agent = make_agent()
    client.force_login(agent)
    return agent


@pytest.fixture
def flagged():
    fraud = pattern_2020()
    return make_submitted(fraud.account, fraud.establishment)


@pytest.fixture
def ordinary():
    employer = ordinary_employer()
    return make_submitted(employer.account, employer.establishment)


def _text(response):
    return html.unescape(response.content.decode())


def _rows(page):
    return page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]


def test_the_dap_queue_shows_the_risk_and_its_reasons(client, agent, flagged, ordinary):
    page = _text(client.get("/gestion/autorisations/"))

    flagged_row = next(row for row in _rows(page) if flagged.reference in row)
    ordinary_row = next(row for row in _rows(page) if ordinary.reference in row)
    assert "Risque élevé" in flagged_row
    assert "sans salarié dans SIRENE" in flagged_row
    assert "Aucun signal" in ordinary_row


def test_the_queue_filters_on_the_risk(client, agent, flagged, ordinary):
    page = _text(client.get("/gestion/autorisations/", {"risk": "eleve"}))

    assert flagged.reference in page
    assert ordinary.reference not in page


def test_the_queue_sorts_by_risk(client, agent, ordinary, flagged):
    oldest_first = _rows(_text(client.get("/gestion/autorisations/")))
    by_risk = _rows(_text(client.get("/gestion/autorisations/", {"sort": "risque"})))

    assert ordinary.reference in oldest_first[0]
    assert flagged.reference in by_risk[0]


def test_a_bad_filter_value_is_answered_next_to_the_field(client, agent, flagged):
    page = _text(client.get("/gestion/autorisations/", {"risk": "tout"}))

    assert "Choisissez un niveau de risque de la liste." in page
    assert flagged.reference in page


def test_the_dap_page_shows_the_reasons_and_the_four_eyes_rule(client, agent, flagged):
    page = _text(client.get(f"/gestion/autorisations/{flagged.pk}/"))

    assert "Risque élevé (score 10)" in page
    assert "un premier agent examine les signaux, un autre agent approuve" in page


def test_an_agent_clears_the_signals_with_a_reason_and_it_is_audited(client, agent, flagged):
    client.get(f"/gestion/autorisations/{flagged.pk}/")
    risk = Assessment.objects.get(dap=flagged)

    response = client.post(
        f"/gestion/fraude/{risk.pk}/examen/",
        {"decision": "ecarter", "reason": "RIB et effectif vérifiés auprès de l'URSSAF."},
        follow=True,
    )

    risk.refresh_from_db()
    assert risk.review_outcome == "ecartes" and risk.reviewed_by == agent
    assert "doit être approuvée par un autre agent" in _text(response)
    event = AuditEvent.objects.get(action="fraud.signals_cleared")
    assert event.reason == "RIB et effectif vérifiés auprès de l'URSSAF."


def test_an_examination_without_reason_changes_nothing(client, agent, flagged):
    client.get(f"/gestion/autorisations/{flagged.pk}/")
    risk = Assessment.objects.get(dap=flagged)

    response = client.post(
        f"/gestion/fraude/{risk.pk}/examen/", {"decision": "ecarter", "reason": ""}, follow=True
    )

    risk.refresh_from_db()
    assert risk.review_outcome == ""
    assert "Indiquez le motif de votre examen des signaux." in _text(response)


def test_the_same_agent_cannot_accept_after_clearing(client, agent, flagged):
    client.get(f"/gestion/autorisations/{flagged.pk}/")
    risk = Assessment.objects.get(dap=flagged)
    client.post(f"/gestion/fraude/{risk.pk}/examen/", {"decision": "ecarter", "reason": "Vu."})

    response = client.post(
        f"/gestion/autorisations/{flagged.pk}/autoriser/",
        confirmed(
            {"autoriser-hours_authorised": "600", "autoriser-reason": ""}, prefix="autoriser"
        ),
        follow=True,
    )

    flagged.refresh_from_db()
    assert flagged.status == AuthorisationRequest.Status.SUBMITTED
    assert "un autre agent que celui qui a écarté les signaux" in _text(response)


def test_a_second_agent_accepts_through_the_page(client, agent, flagged):
    client.get(f"/gestion/autorisations/{flagged.pk}/")
    risk = Assessment.objects.get(dap=flagged)
    client.post(f"/gestion/fraude/{risk.pk}/examen/", {"decision": "ecarter", "reason": "Vu."})
    client.force_login(make_agent())
    client.get(f"/gestion/autorisations/{flagged.pk}/")

    client.post(
        f"/gestion/autorisations/{flagged.pk}/autoriser/",
        confirmed(
            {"autoriser-hours_authorised": "600", "autoriser-reason": ""}, prefix="autoriser"
        ),
    )

    flagged.refresh_from_db()
    assert flagged.status == AuthorisationRequest.Status.ACCEPTED


def test_an_employer_cannot_clear_his_own_signals(client, flagged):
    log_in(client, flagged.created_by)
    risk = Assessment.objects.get(dap=flagged)

    response = client.post(
        f"/gestion/fraude/{risk.pk}/examen/", {"decision": "ecarter", "reason": "C'est moi."}
    )

    assert response.status_code == 403
    risk.refresh_from_db()
    assert risk.review_outcome == ""


def test_an_assistance_agent_cannot_clear_signals(client, flagged):
    client.force_login(make_agent(role="assistance"))
    risk = Assessment.objects.get(dap=flagged)

    response = client.post(
        f"/gestion/fraude/{risk.pk}/examen/", {"decision": "ecarter", "reason": "Vu."}
    )

    assert response.status_code == 403


def test_a_registration_with_a_disposable_email_is_flagged_in_the_habilitation_queue(client, agent):
    ensure_applications()
    register_space(
        siret="79876543200015",
        establishment=EstablishmentDetails(
            denomination="PLOMBERIE DUVAL",
            street_number="3",
            street_number_extension="",
            street_name="DES LILAS",
            street_type="Rue",
            address_complement="",
            postal_code="33000",
            city="BORDEAUX",
            email="plomberie.duval@yopmail.com",
            phone="+33556000000",
            fax="",
        ),
        person=PersonDetails(
            last_name="Duval",
            first_name="Marc",
            phone="+33612345678",
            email="marc.duval@yopmail.com",
            secret_question="Q ?",
            secret_answer="R",
        ),
    )
    habilitation = Habilitation.objects.get(status=Habilitation.Status.PENDING)

    page = _text(client.get("/gestion/demandes/", {"risk": "signale"}))

    assert "courriel_jetable" in Assessment.objects.get(habilitation=habilitation).codes
    assert "domaine de messagerie jetable (yopmail.com)" in page
    assert habilitation.account.login in page


def test_the_payment_export_carries_the_risk_and_its_reasons(client, agent, flagged):

    second = make_agent()
    review_signals(
        assessment=Assessment.objects.get(dap=flagged), actor=agent, confirm=False, reason="Vu."
    )
    decision = dap_services.decide_dap(dap=flagged, actor=second, accept=True, reason="")
    later = datetime.datetime.combine(decision.end_date, datetime.time(10), tzinfo=PARIS)
    with time_machine.travel(later):
        claim = submitted_claim_of(decision, flagged.created_by)
        review_signals(
            assessment=Assessment.objects.get(claim=claim), actor=agent, confirm=False, reason="Vu."
        )
        claims.validate_claim(claim=claim, actor=second)
        client.force_login(agent)  # months later: the session of the fixture has ended
        response = client.get("/gestion/indemnisations/paiement.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["Niveau de risque", "Signaux"]
    assert rows[1][-2] == "Élevé"
    assert "L'IBAN sert aussi à 1 autre(s) entreprise(s) (SIREN)." in rows[1][-1]


def test_the_figures_page_counts_the_signals_per_week_with_a_chart(client, agent, flagged):
    page = _text(client.get("/gestion/fraude/"))

    assert "<svg" in page
    table = page.split('id="chiffres-fraude"')[1]
    last_week = table.split("<tr>")[-1]
    assert "<td>4</td>" in last_week


def test_the_signals_of_a_decided_item_are_no_longer_examined(client, agent, flagged):
    dap_services.decide_dap(dap=flagged, actor=make_agent(), accept=False, reason="Fraude.")
    risk = Assessment.objects.get(dap=flagged)
    page = _text(client.get(f"/gestion/autorisations/{flagged.pk}/"))

    response = client.post(
        f"/gestion/fraude/{risk.pk}/examen/",
        {"decision": "ecarter", "reason": "Vu."},
        follow=True,
    )

    assert "Enregistrer l'examen des signaux" not in page
    assert "déjà été décidée" in _text(response)
    risk.refresh_from_db()
    assert risk.review_outcome == ""
