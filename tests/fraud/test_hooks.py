"""The lower apps reach the fraud rules through apart.core.hooks: fraud registers them at
start-up, and without a registration the services refuse to work instead of skipping the rules."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from apart.core import hooks
from apart.dap import services as dap_services
from apart.dap.models import AuthorisationRequest, Decision
from apart.fraud.hooks import FraudRules
from apart.fraud.models import Assessment
from tests.dap.factories import make_submitted
from tests.fraud.factories import ordinary_employer
from tests.habilitations.factories import make_agent

pytestmark = pytest.mark.django_db


def test_the_fraud_app_registers_its_rules_when_django_starts():
    assert isinstance(hooks.fraud_checks(), FraudRules)


def test_without_a_registration_the_hook_fails_loudly(monkeypatch):
    monkeypatch.setattr(hooks, "_registered", None)

    with pytest.raises(ImproperlyConfigured, match=r"apart\.fraud must be in INSTALLED_APPS"):
        hooks.fraud_checks()


def test_without_a_registration_a_decision_is_refused_and_nothing_is_written(monkeypatch):
    employer = ordinary_employer()
    dap = make_submitted(employer.account, employer.establishment, employees=8)
    assert Assessment.objects.filter(dap=dap).exists()
    monkeypatch.setattr(hooks, "_registered", None)

    with pytest.raises(ImproperlyConfigured):
        dap_services.decide_dap(dap=dap, actor=make_agent(), accept=True, reason="")

    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.SUBMITTED
    assert not Decision.objects.filter(request=dap).exists()
