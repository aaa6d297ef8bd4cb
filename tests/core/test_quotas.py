"""Anti-automation that holds: per-address and site-wide quotas on registration, recovery and
login, and a surge mode an operator switches on (apart.core.quotas)."""

from io import StringIO

import pytest
from django.core.management import call_command

from apart.audit.models import AuditEvent
from apart.core import quotas
from tests.accounts.helpers import submit_login
from tests.conftest import CsrfClient
from tests.recovery.helpers import ask_password_reset
from tests.registration.factories import make_sirene
from tests.registration.journey import submit_step1

pytestmark = pytest.mark.django_db

REGISTRATION_REFUSED = "Trop de demandes ont été envoyées depuis votre connexion"
LOGIN_SITE_BUSY = "Le service reçoit trop de demandes de connexion en ce moment"


def _client(n: int) -> CsrfClient:
    return CsrfClient(REMOTE_ADDR=f"198.51.100.{n}")


def _registration_statuses(clients: list[CsrfClient]) -> list[int]:
    siret = make_sirene().siret
    return [submit_step1(client, siret).status_code for client in clients]


def test_registrations_from_many_addresses_stop_at_the_site_wide_quota(settings):
    settings.APART_GLOBAL_QUOTAS = {**settings.APART_GLOBAL_QUOTAS, "registration": 3}

    statuses = _registration_statuses([_client(n) for n in range(5)])

    assert statuses == [302, 302, 302, 429, 429]


def test_the_site_wide_refusal_says_to_come_back_later(settings):
    settings.APART_GLOBAL_QUOTAS = {**settings.APART_GLOBAL_QUOTAS, "registration": 1}
    siret = make_sirene().siret
    submit_step1(_client(1), siret)

    response = submit_step1(_client(2), siret)

    assert REGISTRATION_REFUSED in response.content.decode()


def test_surge_mode_divides_the_per_address_quota(settings):
    settings.APART_REGISTRATION_RATE_LIMIT = 10
    settings.APART_SURGE_DIVISOR = 5
    quotas.switch_surge_on(hours=1)
    client = _client(7)

    statuses = _registration_statuses([client] * 3)

    assert statuses == [302, 302, 429]


def test_without_surge_mode_the_same_address_keeps_its_quota(settings):
    settings.APART_REGISTRATION_RATE_LIMIT = 10
    client = _client(7)

    assert _registration_statuses([client] * 3) == [302, 302, 302]


def test_recovery_stops_at_the_site_wide_quota(settings):
    settings.APART_GLOBAL_QUOTAS = {**settings.APART_GLOBAL_QUOTAS, "recovery": 2}

    statuses = [ask_password_reset(_client(n), f"personne{n}.x").status_code for n in range(3)]

    assert statuses == [302, 302, 429]


def test_logins_stop_at_the_site_wide_quota_with_their_own_message(settings):
    settings.APART_GLOBAL_QUOTAS = {**settings.APART_GLOBAL_QUOTAS, "login": 2}
    for n in range(2):
        submit_login(_client(n), f"personne{n}.x", "Mauvais-Mot2passe")

    response = submit_login(_client(9), "quelqu.un", "Mauvais-Mot2passe")

    assert LOGIN_SITE_BUSY in response.content.decode()
    assert AuditEvent.objects.filter(action="account.login_failed", reason="site_busy").exists()


def test_the_operator_switches_surge_mode_on_and_off_and_it_is_audited():
    out = StringIO()
    call_command("surge", "on", "--hours", "2", stdout=out)

    assert "Mode surcharge : actif jusqu'au" in out.getvalue()
    assert quotas.in_surge()
    call_command("surge", "off", stdout=StringIO())
    assert not quotas.in_surge()
    assert list(
        AuditEvent.objects.filter(action__startswith="operator.surge")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["operator.surge_on", "operator.surge_off"]


def test_surge_mode_ends_by_itself(settings):
    quotas.switch_surge_on(hours=0.0000001)

    import time

    time.sleep(0.01)
    assert not quotas.in_surge()
