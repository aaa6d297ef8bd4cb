"""Renewal by the holder: a request agents answer by extending (or a new request once expired)."""

import datetime

import pytest
from django.urls import reverse

from apart.audit.models import AuditEvent
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Habilitation
from apart.habilitations.services import HabilitationError, request_renewal
from tests.habilitations.factories import make_account, make_agent, make_habilitation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_renewing_an_active_habilitation_flags_it_for_the_agents(client):
    habilitation = make_habilitation(status="active", start=paris_today() - 340 * DAY)

    renewed = request_renewal(account=habilitation.account)

    assert renewed == habilitation
    habilitation.refresh_from_db()
    assert habilitation.renewal_requested_at is not None
    assert AuditEvent.objects.filter(action="habilitation.renewal_requested").count() == 1
    client.force_login(make_agent())
    assert habilitation.account.login in client.get(reverse("backoffice:queue")).content.decode()


def test_asking_twice_records_one_renewal_request():
    habilitation = make_habilitation(status="active", start=paris_today())

    request_renewal(account=habilitation.account)
    request_renewal(account=habilitation.account)

    assert habilitation.events.filter(reason="Demande de renouvellement").count() == 1


def test_after_expiry_a_renewal_is_a_new_request_for_the_same_establishments():
    expired = make_habilitation(
        status="expired", start=datetime.date(2024, 1, 1), end=datetime.date(2025, 1, 1)
    )

    renewal = request_renewal(account=expired.account)

    assert renewal.pk != expired.pk
    assert renewal.status == Habilitation.Status.PENDING
    assert list(renewal.establishments.all()) == list(expired.establishments.all())


def test_a_pending_request_has_nothing_to_renew():
    habilitation = make_habilitation()

    with pytest.raises(HabilitationError, match="en cours de traitement"):
        request_renewal(account=habilitation.account)


def test_the_holder_asks_from_the_space_with_a_post(client):
    account = make_account()
    habilitation = make_habilitation(account=account, status="active", start=paris_today())
    client.force_login(account)
    client.get(reverse("space:dashboard"))

    response = client.post(reverse("habilitations:renew"), {}, follow=True)

    habilitation.refresh_from_db()
    assert habilitation.renewal_requested_at is not None
    assert "Votre demande de renouvellement a bien été transmise" in response.content.decode()


def test_the_renewal_page_refuses_get(client):
    account = make_account()
    make_habilitation(account=account, status="active", start=paris_today())
    client.force_login(account)

    assert client.get(reverse("habilitations:renew")).status_code == 405
