import datetime

import pytest
from django.db import IntegrityError

from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.habilitations.selectors import active_habilitation, live_habilitation
from apart.habilitations.services import (
    HabilitationAlreadyLive,
    attach_establishment,
    request_habilitation,
)
from tests.habilitations.factories import make_account, make_establishment, make_habilitation

pytestmark = pytest.mark.django_db


def test_a_request_is_pending_for_apart_with_its_establishment():
    account = make_account()
    establishment = make_establishment(main_contact=account)

    habilitation = request_habilitation(account=account, establishment=establishment)

    assert habilitation.status == Habilitation.Status.PENDING
    assert habilitation.application.code == "APART"
    assert list(habilitation.establishments.all()) == [establishment]
    assert live_habilitation(account=account) == habilitation


def test_a_request_writes_its_history_and_audit_row():
    account = make_account()

    habilitation = request_habilitation(account=account, establishment=make_establishment())

    event = habilitation.events.get()
    assert (event.old_status, event.new_status) == ("", "pending")
    audit = AuditEvent.objects.get(action="habilitation.requested")
    assert audit.account == account
    assert audit.object_id == str(habilitation.pk)
    assert audit.new_values["status"] == "pending"


def test_a_second_request_while_one_is_live_is_refused_with_the_live_one():
    account = make_account()
    first = request_habilitation(account=account, establishment=make_establishment())

    with pytest.raises(HabilitationAlreadyLive) as refused:
        request_habilitation(account=account, establishment=make_establishment())

    assert refused.value.habilitation == first
    assert Habilitation.objects.filter(account=account).count() == 1


def test_the_database_refuses_two_live_habilitations():
    account = make_account()
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)

    with pytest.raises(IntegrityError):
        make_habilitation(account=account, status=Habilitation.Status.PENDING)


def test_a_sibling_habilitation_does_not_prevent_an_apart_request():
    account = make_account()
    make_habilitation(account=account, status="active", application_code="SYLAE")

    habilitation = request_habilitation(account=account, establishment=make_establishment())

    assert habilitation.status == Habilitation.Status.PENDING
    assert live_habilitation(account=account, application_code="SYLAE") is not None


def test_attaching_an_establishment_links_it_and_is_recorded():
    account = make_account()
    habilitation = make_habilitation(account=account, status="active")
    second = make_establishment(main_contact=account)

    attach_establishment(habilitation=habilitation, establishment=second)

    assert second in habilitation.establishments.all()
    assert habilitation.events.get().reason == f"Établissement rattaché : {second.siret}"
    assert AuditEvent.objects.filter(action="habilitation.establishment_attached").count() == 1


def test_attaching_the_same_establishment_twice_changes_nothing():
    habilitation = make_habilitation(status="active")
    establishment = habilitation.establishments.get()

    attach_establishment(habilitation=habilitation, establishment=establishment)

    assert habilitation.events.count() == 0


def test_active_habilitation_without_a_date_ignores_the_start_date():
    account = make_account()
    future = make_habilitation(account=account, status="active", start=datetime.date(2099, 1, 1))

    assert active_habilitation(account=account) == future


def test_active_habilitation_on_a_date_is_the_one_valid_that_day():
    account = make_account()
    habilitation = make_habilitation(
        account=account, status="active", start=datetime.date(2026, 3, 1)
    )

    assert active_habilitation(account=account, on=datetime.date(2026, 2, 28)) is None
    assert active_habilitation(account=account, on=datetime.date(2026, 3, 1)) == habilitation
    assert active_habilitation(account=account, on=habilitation.end_date) is None


def test_a_pending_request_is_live_but_not_active():
    account = make_account()
    request_habilitation(account=account, establishment=None)

    assert live_habilitation(account=account) is not None
    assert active_habilitation(account=account) is None
