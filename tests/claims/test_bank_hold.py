"""Payments use what an agent validated: a DI keeps its bank-details versions, a change after
the validation holds the payment until an agent confirms, the export pays the validated IBAN."""

import csv
import datetime
import html
import io

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims import services
from apart.claims.models import Claim
from apart.establishments.services.fiche import FicheError, change_bank_details
from tests.claims.factories import (
    APRIL,
    current_bank_of,
    granted_decision,
    line,
    submitted_claim,
)
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent
from tests.space.factories import make_employer

pytestmark = pytest.mark.django_db

NEW_IBAN = "FR1420041010050500013M02606"


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(APRIL):
        yield


@pytest.fixture
def instructor(client):
    agent = make_agent()
    client.force_login(agent)
    return agent


def _change_iban(claim, iban=NEW_IBAN, bic="PSSTFRPPPAR"):
    establishment = claim.decision.request.establishment
    return change_bank_details(
        establishment=establishment,
        iban=iban,
        bic=bic,
        account_holder="CLEAN DESK",
        actor=establishment.main_contact,
        recently_authenticated=True,
    )


def _validated(instructor):
    account, claim = submitted_claim()
    services.validate_claim(claim=claim, actor=instructor, bank_version_seen=None)
    claim.refresh_from_db()
    return account, claim


def _export(client):
    response = client.get("/gestion/indemnisations/paiement.csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_a_claim_keeps_the_version_it_was_submitted_and_validated_with(instructor):
    _, claim = _validated(instructor)

    version = current_bank_of(claim)
    assert claim.submitted_bank == version
    assert claim.validated_bank == version


def test_an_iban_changed_after_validation_is_held_and_never_exported(client, instructor):
    _, claim = _validated(instructor)

    _change_iban(claim)

    rows = _export(client)
    assert [row[0] for row in rows[1:]] == []
    assert NEW_IBAN not in str(rows)
    page = client.get("/gestion/indemnisations/paiement/").content.decode()
    assert claim.reference in page.split('id="suspendues"')[1]


def test_the_export_pays_the_validated_version(client, instructor):
    _, claim = _validated(instructor)

    rows = _export(client)

    assert rows[1][0] == claim.reference
    assert rows[1][8] == "FR7630006000011234567890189"


def test_an_agent_confirms_the_new_bank_details_and_the_payment_resumes(client, instructor):
    _, claim = _validated(instructor)
    _change_iban(claim)
    new_version = current_bank_of(claim)
    detail = client.get(f"/gestion/indemnisations/{claim.pk}/").content.decode()
    assert 'id="paiement-suspendu"' in detail

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/confirmer-coordonnees-bancaires/",
        confirmed(
            {"bank_version": new_version.pk, "reason": "Appel du gérant au numéro de la fiche."}
        ),
    )
    assert response["Location"] == "/gestion/indemnisations/paiement/"

    assert response.status_code == 302
    rows = _export(client)
    assert rows[1][0] == claim.reference and rows[1][8] == NEW_IBAN
    event = AuditEvent.objects.get(action="claim.bank_details_confirmed")
    assert event.actor == instructor
    assert event.old_values["iban"] == "FR76 **** **** **** **** **** 189"
    assert event.new_values["iban"] == "FR14 **** **** **** **** **** 606"
    assert event.reason == "Appel du gérant au numéro de la fiche."


def test_new_bank_details_are_not_confirmed_without_the_box_ticked(client, instructor):
    _, claim = _validated(instructor)
    _change_iban(claim)
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    audit_rows = AuditEvent.objects.count()

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/confirmer-coordonnees-bancaires/",
        {"bank_version": current_bank_of(claim).pk, "reason": "Appel du gérant."},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Cochez « Je confirme cette décision »" in page
    assert "Appel du gérant.</textarea>" in page
    assert AuditEvent.objects.count() == audit_rows
    assert len(_export(client)) == 1  # still held: the header only


def test_the_confirmation_needs_what_was_checked(client, instructor):
    _, claim = _validated(instructor)
    _change_iban(claim)
    client.get(f"/gestion/indemnisations/{claim.pk}/")

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/confirmer-coordonnees-bancaires/",
        confirmed({"bank_version": current_bank_of(claim).pk, "reason": ""}),
    )

    assert response.status_code == 400
    assert "Indiquez ce que vous avez vérifié" in response.content.decode()
    assert _export(client)[1:] == []


def test_a_confirmation_of_a_version_the_agent_did_not_see_is_refused(client, instructor):
    _, claim = _validated(instructor)
    _change_iban(claim)
    seen = current_bank_of(claim)
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    _change_iban(claim, iban="FR7630004000031234567890143", bic="BNPAFRPPXXX")

    client.post(
        f"/gestion/indemnisations/{claim.pk}/confirmer-coordonnees-bancaires/",
        confirmed({"bank_version": seen.pk, "reason": "Vérifié."}),
    )

    assert _export(client)[1:] == []
    assert not AuditEvent.objects.filter(action="claim.bank_details_confirmed").exists()


def test_validation_is_refused_when_the_bank_details_changed_since_the_page_was_shown(
    client, instructor
):
    _, claim = submitted_claim()
    shown = current_bank_of(claim)
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    _change_iban(claim)

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/valider/",
        confirmed({"bank_version": shown.pk}),
        follow=True,
    )

    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert "ont changé depuis l&#x27;affichage de la page" in response.content.decode()


def test_an_employer_cannot_confirm_a_held_payment(client, instructor):
    account, claim = _validated(instructor)
    _change_iban(claim)
    client.get(f"/gestion/indemnisations/{claim.pk}/")
    client.force_login(account)

    response = client.post(
        f"/gestion/indemnisations/{claim.pk}/confirmer-coordonnees-bancaires/",
        confirmed({"bank_version": current_bank_of(claim).pk, "reason": "C'est bien moi."}),
    )

    assert response.status_code == 403
    assert "CSRF" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="claim.bank_details_confirmed").exists()


def test_a_colleague_cannot_change_the_bank_details_at_all(instructor):
    _, claim = _validated(instructor)
    colleague = make_employer()

    with pytest.raises(FicheError):
        change_bank_details(
            establishment=claim.decision.request.establishment,
            iban=NEW_IBAN,
            bic="PSSTFRPPPAR",
            account_holder="CLEAN DESK",
            actor=colleague,
            recently_authenticated=True,
        )


def test_bank_details_changed_days_before_the_submission_mark_the_claim_for_review():
    account, _establishment, decision = granted_decision()
    claim = services.create_claim(decision=decision, month=datetime.date(2026, 2, 1), actor=account)
    line(claim, account)
    _change_iban(claim)

    submitted = services.submit_claim(claim=claim, actor=account)

    assert submitted.bank_review is True


def test_old_bank_details_do_not_mark_the_claim(instructor):
    _, claim = submitted_claim()

    assert claim.bank_review is False
