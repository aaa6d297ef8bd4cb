"""Agents check and validate claims; validated claims are listed for payment and exported."""

import csv
import html
import io

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims.models import Claim
from apart.establishments.models import Establishment
from apart.notifications.models import OutboundEmail
from tests.claims.factories import APRIL, current_bank_of, submitted_claim
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(APRIL):
        yield


@pytest.fixture
def instructor(client):
    agent = make_agent()
    client.force_login(agent)
    return agent


def shown_bank(claim):
    """What the validation form posts: the bank-details version the page showed, confirmed."""
    return confirmed({"bank_version": current_bank_of(claim).pk})


def _text(response):
    return html.unescape(response.content.decode())


def test_agents_see_transmitted_claims_with_their_lines(client, instructor):
    _, claim = submitted_claim()

    queue = _text(client.get("/gestion/indemnisations/"))
    detail = _text(client.get(f"/gestion/indemnisations/{claim.pk}/"))

    assert claim.reference in queue
    assert "Martin" in detail
    assert "378.00" in detail or "378,00" in detail


def test_a_validated_claim_is_listed_for_payment_and_the_employer_told(client, instructor):
    account, claim = submitted_claim()
    client.get(f"/gestion/indemnisations/{claim.pk}/")

    response = client.post(f"/gestion/indemnisations/{claim.pk}/valider/", shown_bank(claim))

    claim.refresh_from_db()
    assert response.status_code == 302
    assert claim.status == Claim.Status.VALIDATED
    assert claim.decided_by == instructor
    assert AuditEvent.objects.filter(action="claim.validated", actor=instructor).exists()
    email = OutboundEmail.objects.get(template="claims/emails/decided")
    assert email.to == account.email
    assert "est validée" in email.body_text
    assert "378,00 €" in email.body_text
    assert claim.reference in _text(client.get("/gestion/indemnisations/paiement/"))


def test_a_rejection_needs_its_reason(client, instructor):
    _, claim = submitted_claim()
    client.get(f"/gestion/indemnisations/{claim.pk}/")

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/rejeter/", confirmed({"reason": ""})
    )

    assert response.status_code == 400
    assert "Indiquez le motif du rejet." in _text(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_a_claim_is_decided_once(client, instructor):
    _, claim = submitted_claim()
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    client.post(
        f"/gestion/indemnisations/{claim.pk}/rejeter/",
        confirmed({"reason": "Heures non justifiées."}),
    )

    response = client.post(f"/gestion/indemnisations/{claim.pk}/valider/", shown_bank(claim))

    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert "Cette demande d'indemnisation a déjà été traitée." in _text(
        client.get(response["Location"])
    )


def test_the_payment_export_is_csv_with_formulas_neutralised_and_audited(client, instructor):
    _, claim = submitted_claim()
    establishment = claim.decision.request.establishment
    Establishment.objects.filter(pk=establishment.pk).update(
        denomination='=HYPERLINK("http://evil.example","clic")'
    )
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    client.post(f"/gestion/indemnisations/{claim.pk}/valider/", shown_bank(claim))

    response = client.get("/gestion/indemnisations/paiement.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:7] == [
        "Référence DI",
        "Décision",
        "SIRET",
        "Établissement",
        "Mois",
        "Heures chômées",
        "Montant (€)",
    ]
    assert rows[1][0] == claim.reference
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[1][4:7] == ["02/2026", "35,00", "378,00"]
    assert rows[1][8].startswith("FR76")
    assert AuditEvent.objects.filter(action="claim.payment_list_exported").exists()


def test_employers_have_no_access_to_the_agents_pages(client):
    account, _claim = submitted_claim()
    client.force_login(account)

    assert client.get("/gestion/indemnisations/").status_code == 403
    assert client.get("/gestion/indemnisations/paiement.csv").status_code == 403


UNCONFIRMED = "Cochez « Je confirme cette décision » pour enregistrer la décision"


@pytest.mark.parametrize(
    ("action", "data"),
    [("valider", {}), ("rejeter", {"reason": "Heures non justifiées."})],
)
def test_a_decision_without_confirmation_changes_nothing(client, instructor, action, data):
    _, claim = submitted_claim()
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    audit_rows, emails = AuditEvent.objects.count(), OutboundEmail.objects.count()

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/{action}/",
        {"bank_version": current_bank_of(claim).pk, **data},
    )

    page = _text(response)
    assert response.status_code == 400
    assert UNCONFIRMED in page
    assert "".join(data.values()) in page
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert AuditEvent.objects.count() == audit_rows
    assert OutboundEmail.objects.count() == emails
