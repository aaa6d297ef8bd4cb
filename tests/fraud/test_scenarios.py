"""Seeded scenarios: the 2020 pattern raises the expected reasons and needs two agents; an
ordinary employer raises none and one agent decides."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims import services as claims
from apart.dap import services as dap_services
from apart.dap.models import AuthorisationRequest
from apart.establishments.services.fiche import change_bank_details
from apart.fraud.models import Assessment, Signal
from apart.fraud.services import FOUR_EYES, REVIEW_FIRST, review_signals
from apart.habilitations.dates import PARIS
from tests.claims.factories import NIR_1, NIR_2
from tests.dap.factories import make_submitted
from tests.fraud.factories import MULE_IBAN, ordinary_employer, pattern_2020
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db

PATTERN_CODES = ["effectif_sirene", "courriel_jetable", "iban_partage", "coordonnees_recentes"]


def _risk(dap: AuthorisationRequest) -> Assessment:
    return Assessment.objects.get(dap=dap)


def test_the_2020_pattern_raises_the_expected_reasons():
    fraud = pattern_2020()

    dap = make_submitted(fraud.account, fraud.establishment, employees=8)

    risk = _risk(dap)
    assert risk.codes == PATTERN_CODES
    assert risk.level == "eleve"
    reasons = [r["reason"] for r in risk.reasons]
    assert reasons[0] == (
        "L'établissement est sans salarié dans SIRENE mais la demande porte sur 8 salarié(s)."
    )
    assert "yopmail.com" in reasons[1]
    assert reasons[2] == "L'IBAN sert aussi à 1 autre(s) entreprise(s) (SIREN)."


def test_an_ordinary_employer_raises_none_and_one_agent_decides():
    employer = ordinary_employer()
    dap = make_submitted(employer.account, employer.establishment, employees=8)

    decision = dap_services.decide_dap(dap=dap, actor=make_agent(), accept=True, reason="")

    assert _risk(dap).reasons == []
    assert _risk(dap).level == "aucun"
    assert decision.accepted


def test_the_2020_pattern_cannot_be_approved_before_its_signals_are_examined():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)

    with pytest.raises(dap_services.DapError) as refused:
        dap_services.decide_dap(dap=dap, actor=make_agent(), accept=True, reason="")

    assert refused.value.message == REVIEW_FIRST.format(level="élevé")


def test_the_agent_who_cleared_the_signals_cannot_approve_alone():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)
    first = make_agent()
    review_signals(
        assessment=_risk(dap), actor=first, confirm=False, reason="Gérant joint au téléphone."
    )

    with pytest.raises(dap_services.DapError) as refused:
        dap_services.decide_dap(dap=dap, actor=first, accept=True, reason="")

    assert refused.value.message == FOUR_EYES
    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.SUBMITTED


def test_a_second_different_agent_approves_and_both_are_audited():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)
    first, second = make_agent(), make_agent()
    review_signals(
        assessment=_risk(dap), actor=first, confirm=False, reason="Gérant joint au téléphone."
    )

    decision = dap_services.decide_dap(dap=dap, actor=second, accept=True, reason="")

    assert decision.decided_by == second
    cleared = AuditEvent.objects.get(action="fraud.signals_cleared")
    assert cleared.actor == first and cleared.reason == "Gérant joint au téléphone."
    assert AuditEvent.objects.filter(action="dap.acceptee", actor=second).exists()
    assert set(Signal.objects.values_list("status", flat=True)) == {Signal.Status.CLEARED}


def test_confirmed_signals_leave_only_a_refusal():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)
    review_signals(assessment=_risk(dap), actor=make_agent(), confirm=True, reason="SIRET usurpé.")

    with pytest.raises(dap_services.DapError):
        dap_services.decide_dap(dap=dap, actor=make_agent(), accept=True, reason="")
    dap_services.decide_dap(dap=dap, actor=make_agent(), accept=False, reason="Fraude.")

    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.REFUSED
    assert set(Signal.objects.values_list("status", flat=True)) == {Signal.Status.CONFIRMED}


def test_the_dis_of_the_2020_pattern_need_two_agents_too():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)
    first, second = make_agent(), make_agent()
    review_signals(assessment=_risk(dap), actor=first, confirm=False, reason="Vérifié.")
    decision = dap_services.decide_dap(dap=dap, actor=second, accept=True, reason="")
    later = datetime.datetime.combine(decision.end_date, datetime.time(10), tzinfo=PARIS)
    with time_machine.travel(later):
        claim = submitted_claim_of(decision, fraud.account)
    risk = Assessment.objects.get(claim=claim)
    review_signals(assessment=risk, actor=first, confirm=False, reason="Vérifié.")

    with pytest.raises(claims.ClaimError):
        claims.validate_claim(claim=claim, actor=first)
    claims.validate_claim(claim=claim, actor=second)

    assert "iban_partage" in risk.codes


def submitted_claim_of(decision, account):
    claim = claims.create_claim(
        decision=decision, month=decision.start_date.replace(day=1), actor=account
    )
    for nir in (NIR_1, NIR_2):
        claims.add_line(
            claim=claim,
            last_name="Martin",
            first_name="Julie",
            nir=nir,
            hours=Decimal("10"),
            hourly_gross=Decimal("15"),
            actor=account,
        )
    return claims.submit_claim(claim=claim, actor=account)


def test_an_iban_shared_later_raises_the_signal_on_the_other_side_too():
    employer = ordinary_employer()
    dap = make_submitted(employer.account, employer.establishment)
    fraud = pattern_2020()

    change_bank_details(
        establishment=fraud.establishment,
        iban=employer.establishment.fiche.iban,
        bic="AGRIFRPP882",
        account_holder="PLOMBERIE DUVAL",
        actor=fraud.account,
        recently_authenticated=True,
    )

    assert "iban_partage" in _risk(dap).codes


def test_a_signal_that_no_longer_applies_is_withdrawn():
    employer = ordinary_employer()
    dap = make_submitted(employer.account, employer.establishment)
    fraud = pattern_2020()
    ordinary_iban = employer.establishment.fiche.iban
    change_bank_details(
        establishment=fraud.establishment,
        iban=ordinary_iban,
        bic="AGRIFRPP882",
        account_holder="PLOMBERIE DUVAL",
        actor=fraud.account,
        recently_authenticated=True,
    )

    change_bank_details(
        establishment=fraud.establishment,
        iban=MULE_IBAN,
        bic="PSSTFRPPPAR",
        account_holder="PLOMBERIE DUVAL",
        actor=fraud.account,
        recently_authenticated=True,
    )

    assert "iban_partage" not in _risk(dap).codes
    assert Signal.objects.get(assessment=_risk(dap), code="iban_partage").status == "caduc"
