"""An agent cannot decide on a request of his own, and the assistance role sees employers only:
the attacker is an agent acting for himself, or an assistance agent looking at colleagues."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.claims import services as claim_services
from apart.claims.models import Claim
from apart.core.decisions import OWN_DECISION
from apart.dap import services as dap_services
from apart.dap.models import AuthorisationRequest
from apart.habilitations.models import Habilitation
from tests.claims.factories import APRIL, submitted_claim
from tests.conftest import CsrfClient
from tests.dap.factories import employer_with_complete_fiche, make_submitted
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent, make_habilitation
from tests.space.factories import habilitate, make_employer

pytestmark = pytest.mark.django_db


def _period():
    today = datetime.date.today()
    return {
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=365)).isoformat(),
    }


def _logged(account):
    client = CsrfClient()
    client.force_login(account)
    return client


def test_an_instructeur_cannot_approve_his_own_habilitation_request():
    agent = make_agent()
    own = make_habilitation(account=agent)
    client = _logged(agent)
    client.get(reverse("backoffice:request", args=[own.pk]))

    response = client.post(reverse("backoffice:approve", args=[own.pk]), confirmed(_period()))

    assert OWN_DECISION.replace("'", "&#x27;") in response.content.decode()
    own.refresh_from_db()
    assert own.status == Habilitation.Status.PENDING
    assert not AuditEvent.objects.filter(action="habilitation.approved").exists()


def test_an_instructeur_cannot_reject_his_own_request_in_bulk_either():
    agent = make_agent()
    own = make_habilitation(account=agent)
    client = _logged(agent)
    client.get(reverse("backoffice:queue"))

    client.post(reverse("backoffice:bulk_approve"), confirmed({"habilitation": [own.pk]}))

    own.refresh_from_db()
    assert own.status == Habilitation.Status.PENDING


def test_another_instructeur_can_decide_it():
    own = make_habilitation(account=make_agent())

    client = _logged(make_agent())
    client.get(reverse("backoffice:request", args=[own.pk]))
    client.post(reverse("backoffice:approve", args=[own.pk]), confirmed(_period()))

    own.refresh_from_db()
    assert own.status == Habilitation.Status.ACTIVE


def test_an_instructeur_member_of_the_establishment_cannot_decide_its_dap():
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    agent = make_agent()
    habilitate(agent, establishment)

    with pytest.raises(dap_services.DapError) as refused:
        dap_services.decide_dap(dap=dap, actor=agent, accept=True, reason="")

    assert refused.value.message == OWN_DECISION
    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.SUBMITTED


@time_machine.travel(APRIL, tick=False)
def test_the_author_of_a_claim_cannot_validate_it_as_an_agent():
    account, claim = submitted_claim()
    Account.objects.filter(pk=account.pk).update(role=Account.Role.INSTRUCTOR)
    account.refresh_from_db()

    with pytest.raises(claim_services.ClaimError) as refused:
        claim_services.validate_claim(claim=claim, actor=account)

    assert refused.value.message == OWN_DECISION
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


@pytest.fixture
def assistance():
    return _logged(make_agent(role=Account.Role.ASSISTANCE))


def test_assistance_does_not_find_agents(assistance):
    make_agent(role=Account.Role.ADMINISTRATOR, login="admin.cache", last_name="Cachee")
    employer = make_employer(last_name="Cachee")

    page = assistance.get(reverse("backoffice:helpdesk"), {"q": "Cachee"}).content.decode()

    assert employer.login in page
    assert "admin.cache" not in page


@pytest.mark.parametrize(
    "url_name", ["backoffice:account", "backoffice:account_audit_csv", "export_personal_data"]
)
def test_assistance_cannot_open_or_export_an_agents_account(assistance, url_name):
    admin = make_agent(role=Account.Role.ADMINISTRATOR)
    if url_name == "export_personal_data":
        assistance.get(reverse("backoffice:helpdesk"))
        response = assistance.post(
            reverse("backoffice:export_personal_data", args=[admin.pk]),
            {"export_personal_data-reason": "contrôle"},
        )
    else:
        response = assistance.get(reverse(url_name, args=[admin.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="privacy.").exists()


def test_assistance_still_opens_an_employers_account(assistance):
    employer = make_employer()

    response = assistance.get(reverse("backoffice:account", args=[employer.pk]))

    assert response.status_code == 200
    assert employer.login in response.content.decode()


def test_an_administrator_sees_agents(client):
    other = make_agent(login="instructeur.visible")
    admin = _logged(make_agent(role=Account.Role.ADMINISTRATOR))

    page = admin.get(reverse("backoffice:helpdesk"), {"q": "instructeur.visible"}).content.decode()

    assert other.login in page
