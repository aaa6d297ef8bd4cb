"""Personal data: the export lists the linked identities; anonymisation removes them."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from apart.privacy.export import personal_data_of
from apart.proconnect.models import ProConnectIdentity
from tests.accounts.factories import make_active_account

pytestmark = pytest.mark.django_db


def link(account) -> ProConnectIdentity:
    return ProConnectIdentity.objects.create(
        account=account,
        issuer="https://proconnect.example",
        subject="sub-rgpd",
        email=account.email,
        linked_by="password",
    )


def test_the_export_lists_the_linked_identity():
    account = make_active_account()
    link(account)

    [exported] = personal_data_of(account)["identites_proconnect"]

    assert exported["fournisseur"] == "https://proconnect.example"
    assert exported["identifiant"] == "sub-rgpd"
    assert exported["preuve"] == "password"


def test_an_anonymised_account_keeps_no_identity():
    with time_machine.travel(timezone.now() - timedelta(days=4 * 365), tick=False):
        account = make_active_account()
        link(account)

    call_command("purge_personal_data", stdout=StringIO())

    account.refresh_from_db()
    assert account.login.startswith("anonyme-")
    assert not ProConnectIdentity.objects.filter(account=account).exists()
