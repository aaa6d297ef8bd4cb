"""The attacker's steps against "Créer mon espace": someone else's email, an agent's email.
Each attempt fails, changes nothing and reveals nothing."""

import html
import re

import pytest

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.registration.models import RegistrationRequest, SiretClaim
from tests.accounts.factories import make_active_account
from tests.conftest import CsrfClient
from tests.habilitations.factories import ensure_applications, make_agent, make_habilitation
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import DONE, STEP2, register, submit_step1

pytestmark = pytest.mark.django_db

VARYING = re.compile(r'(nonce|value|content)="[^"]*"')


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


@pytest.fixture
def victim():
    account = make_active_account(first_name="Ilmen", last_name="Foplus", email="ilmen@foplus.fr")
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)
    return account


def _typed(email):
    return {**establishment(), **person(email=email, email_confirm=email)}


def _answer(email):
    """Step 2 then the "Information" page, as a fresh anonymous visitor sees them."""
    client = CsrfClient()
    step2 = register(client, make_sirene().siret, _typed(email))
    page = client.get(DONE)
    return step2, page


def _stable(response) -> str:
    return VARYING.sub(r'\1=""', response.content.decode())


def test_the_answer_is_the_same_for_a_new_email_and_someone_elses(victim):
    new_step2, new_page = _answer("personne.nouvelle@example.fr")
    victim_step2, victim_page = _answer(victim.email)

    assert (victim_step2.status_code, victim_step2["Location"]) == (302, DONE)
    assert (new_step2.status_code, new_step2["Location"]) == (302, DONE)
    assert _stable(victim_page) == _stable(new_page)
    shown = html.unescape(victim_page.content.decode())
    assert "Foplus" not in shown and "Ilmen" not in shown


def test_someone_elses_email_attaches_nothing_and_leaves_the_victim_unchanged(victim):
    habilitation = Habilitation.objects.get(account=victim)
    before = list(habilitation.establishments.values_list("pk", flat=True))

    _answer(victim.email)

    victim.refresh_from_db()
    assert (victim.first_name, victim.last_name, victim.phone) == ("Ilmen", "Foplus", "0102030405")
    assert list(habilitation.establishments.values_list("pk", flat=True)) == before
    assert Establishment.objects.count() == len(before)
    assert not AttachmentRequest.objects.exists()
    assert not RegistrationRequest.objects.exists()


def test_a_claim_emails_only_the_accounts_own_address(victim, smtp_server, deliver_outbox):
    _answer(victim.email)

    deliver_outbox()
    assert [r for _, recipients in smtp_server.envelopes for r in recipients] == [victim.email]


def test_the_victims_mailbox_cannot_be_flooded(victim, settings, smtp_server, deliver_outbox):
    settings.APART_SIRET_CLAIMS_PER_DAY = 2
    for _ in range(4):
        _answer(victim.email)

    deliver_outbox()
    assert len(smtp_server.to(victim.email)) == 2
    assert SiretClaim.objects.count() == 2
    assert AuditEvent.objects.filter(action="registration.claim_throttled").count() == 2


def test_another_logged_in_employer_cannot_use_the_link(
    client, victim, smtp_server, deliver_outbox
):
    _answer(victim.email)
    deliver_outbox()
    link = re.search(
        r"https?://[^/\s]+(/creer-mon-espace/confirmer/[^/\s]+/)",
        smtp_server.text_of(smtp_server.to(victim.email)[0]),
    )[1]
    attacker = make_active_account(first_name="Marc", last_name="Usurpe")
    make_habilitation(account=attacker, status=Habilitation.Status.ACTIVE)
    client.force_login(attacker)

    page = client.get(link)
    client.get("/espace/")
    confirmed = client.post(link, {"action": "confirmer"})

    assert page.status_code == confirmed.status_code == 403
    assert "Foplus" not in html.unescape(page.content.decode())
    assert SiretClaim.objects.get().status == SiretClaim.Status.PENDING
    assert not AttachmentRequest.objects.exists()


def test_an_agents_domain_is_refused_next_to_the_field_and_nothing_is_created(client):
    submit_step1(client, make_sirene().siret)
    client.get(STEP2)
    typed = _typed("jean.agent@asp-public.fr")

    response = client.post(STEP2, {**typed, "captcha_0": "x", "captcha_1": "PASSED-TEST"})

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "réservée aux agents de l'ASP" in page
    assert 'value="jean.agent@asp-public.fr"' in page  # nothing typed is lost
    assert 'value="Menuça"' in page
    assert not Account.objects.exists()
    assert not Establishment.objects.exists()
    assert not SiretClaim.objects.exists()


def test_an_agents_address_elsewhere_gets_the_common_answer_and_creates_nothing(
    smtp_server, deliver_outbox
):
    agent = make_active_account(
        first_name="Agnès", last_name="Instructrice", email="agnes@example.org", role="instructeur"
    )
    _, new_page = _answer("personne.nouvelle@example.fr")
    accounts_before = Account.objects.count()
    establishments_before = Establishment.objects.count()

    _, agent_page = _answer(agent.email)

    assert _stable(agent_page) == _stable(new_page)
    assert Account.objects.count() == accounts_before
    assert Establishment.objects.count() == establishments_before
    assert not SiretClaim.objects.filter(account=agent).exists()
    assert not Habilitation.objects.filter(account=agent).exists()
    deliver_outbox()
    [warning] = smtp_server.to(agent.email)
    assert "ne peut pas être utilisée pour un espace employeur" in smtp_server.text_of(warning)


def test_an_agents_session_cannot_add_a_siret():
    agent = make_agent()
    client = CsrfClient()
    client.force_login(agent)

    response = client.get("/espace/etablissements/ajouter/")

    assert response.status_code == 403
    assert not Establishment.objects.exists()


def test_a_deactivated_account_cannot_confirm_a_claim(client, victim, smtp_server, deliver_outbox):
    Habilitation.objects.filter(account=victim).update(status=Habilitation.Status.REVOKED)
    _answer(victim.email)
    deliver_outbox()
    link = re.search(
        r"https?://[^/\s]+(/creer-mon-espace/confirmer/[^/\s]+/)",
        smtp_server.text_of(smtp_server.to(victim.email)[0]),
    )[1]
    Account.objects.filter(pk=victim.pk).update(is_active=False)

    client.get(link)
    response = client.post(link, {"action": "confirmer"})

    assert response.status_code == 409
    assert not Establishment.objects.filter(siret=SiretClaim.objects.get().siret).exists()
