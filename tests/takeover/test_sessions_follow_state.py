"""Attack: a revoked, expired, deactivated, frozen or locked employer keeps using a live session.

Sessions end at the decision; and whatever the index missed loses access at its next request."""

import datetime

import pytest

from apart.accounts.freezing import freeze_account
from apart.accounts.models import Account, AccountSession
from apart.accounts.services import set_account_active
from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.habilitations.services import expire_habilitation, revoke_habilitation
from tests.conftest import CsrfClient
from tests.habilitations.factories import make_agent, make_habilitation
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

MY_ACCOUNT = "/espace/mon-compte/"


def _habilitation(scene):
    return Habilitation.objects.get(account=scene.victim, status=Habilitation.Status.ACTIVE)


def _shut_out(browser, message):
    response = browser.get(MY_ACCOUNT)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")
    page = browser.get(response.url).content.decode()
    assert message in page


def test_a_revoked_habilitation_ends_the_live_session(scene):
    agent = make_agent()

    revoke_habilitation(habilitation=_habilitation(scene), actor=agent, reason="Fraude présumée")

    assert not AccountSession.objects.filter(account=scene.victim).exists()
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 302
    assert scene.attacker.get("/espace/").status_code == 302


def test_a_revocation_behind_the_index_still_ends_access_at_the_next_request(scene, settings):
    settings.APART_ACCESS_CHECK_SECONDS = 0  # no cached verdict: the next request re-checks
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 200
    Habilitation.objects.filter(account=scene.victim).update(status=Habilitation.Status.REVOKED)

    _shut_out(scene.victim_browser, "a été révoquée")


def test_an_expired_habilitation_ends_the_live_session(scene):
    habilitation = _habilitation(scene)

    expire_habilitation(habilitation=habilitation, today=habilitation.end_date)

    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 302


def test_an_end_date_passing_ends_access_without_any_decision(scene, settings):
    settings.APART_ACCESS_CHECK_SECONDS = 0
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    Habilitation.objects.filter(account=scene.victim).update(
        start_date=yesterday - datetime.timedelta(days=30), end_date=yesterday
    )

    _shut_out(scene.victim_browser, "Votre habilitation a expiré")


def test_a_verdict_is_cached_at_most_the_setting(scene, settings):
    settings.APART_ACCESS_CHECK_SECONDS = 30
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 200
    Habilitation.objects.filter(account=scene.victim).update(status=Habilitation.Status.REVOKED)

    # Within the cache window the request passes (documented, ≤ 60 s); decisions made through
    # the services do not wait for it: they end the sessions at once (tests above).
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 200


def test_revoking_a_sibling_extranets_habilitation_keeps_the_apart_session(scene):
    sylae = make_habilitation(
        account=scene.victim, status="active", application_code="SYLAE", start=datetime.date.today()
    )
    agent = make_agent()

    revoke_habilitation(habilitation=sylae, actor=agent, reason="Établissement fermé")

    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 200


def test_a_deactivated_account_loses_its_sessions_at_once(scene):
    admin = make_agent(role=Account.Role.ADMINISTRATOR)

    set_account_active(account=scene.victim, active=False, actor=admin)

    assert not AccountSession.objects.filter(account=scene.victim).exists()
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 302
    assert AuditEvent.objects.filter(action="account.deactivated", actor=admin).exists()


def test_a_freeze_ends_every_session(scene):
    other = CsrfClient()
    log_in(other, scene.victim)

    ended = freeze_account(account=scene.victim, reason="Signalement")

    assert ended == 2
    assert scene.victim_browser.get(MY_ACCOUNT).status_code == 302
    assert other.get(MY_ACCOUNT).status_code == 302


def test_a_locked_login_ends_the_open_session_at_its_next_request(scene, settings):
    settings.APART_LOGIN_MAX_FAILURES = 2
    settings.APART_ACCESS_CHECK_SECONDS = 0
    guesser = CsrfClient()
    guesser.get("/connexion/")
    for _ in range(2):
        guesser.post("/connexion/", {"login": scene.victim.login, "password": "Devine-1234!"})

    _shut_out(scene.victim_browser, "temporairement verrouillé")
