"""An operator tunes a threshold and recomputes the open items (`manage.py fraud_refresh`); the
batched path gives the same reasons as the one-item path."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from apart.claims.models import Claim
from apart.dap import services as dap_services
from apart.fraud import bulk
from apart.fraud.models import Assessment, Signal
from apart.fraud.services import review_signals
from apart.habilitations.dates import PARIS
from tests.dap.factories import make_submitted
from tests.fraud.factories import pattern_2020
from tests.fraud.test_scenarios import submitted_claim_of
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged_claim():
    fraud = pattern_2020()
    dap = make_submitted(fraud.account, fraud.establishment)
    review_signals(
        assessment=Assessment.objects.get(dap=dap), actor=make_agent(), confirm=False, reason="Vu."
    )
    decision = dap_services.decide_dap(dap=dap, actor=make_agent(), accept=True, reason="")
    later = datetime.datetime.combine(decision.end_date, datetime.time(10), tzinfo=PARIS)
    with time_machine.travel(later):
        return submitted_claim_of(decision, fraud.account)


def test_the_batched_path_gives_the_reasons_of_the_one_item_path(flagged_claim):
    one_by_one = Assessment.objects.get(claim=flagged_claim).reasons
    Assessment.objects.filter(claim=flagged_claim).delete()

    report = bulk.refresh_claims(Claim.objects.all())

    assert report.assessed == 1 and report.flagged == 1
    assert Assessment.objects.get(claim=flagged_claim).reasons == one_by_one


def test_a_tuned_threshold_takes_effect_with_fraud_refresh(flagged_claim, settings):
    assert "iban_partage" in Assessment.objects.get(claim=flagged_claim).codes
    settings.APART_FRAUD_SHARED_SIRENS = 5
    out = StringIO()

    call_command("fraud_refresh", stdout=out)

    assessment = Assessment.objects.get(claim=flagged_claim)
    assert "iban_partage" not in assessment.codes
    signal = Signal.objects.get(assessment=assessment, code="iban_partage")
    assert signal.status == Signal.Status.WITHDRAWN
    assert "1 DI évaluées (1 avec au moins un signal)" in out.getvalue()
