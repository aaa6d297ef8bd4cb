"""The step-up on a bank-detail change: an enrolled employer's recent authentication needs the
second factor too; a stolen session with the password alone changes nothing."""

import pytest

from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from tests.accounts.factories import STRONG_PASSWORD
from tests.mfa.factories import enrol_totp, unused_code
from tests.mfa.helpers import confirm_identity, log_in_with_code
from tests.space.factories import VALID_BIC, employer_with_establishments

pytestmark = pytest.mark.django_db

BANK = {
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": VALID_BIC,
    "account_holder": "CLEAN DESK",
}


@pytest.fixture
def owner(client):
    account = employer_with_establishments(1)
    enrol_totp(account)
    log_in_with_code(client, account.login, unused_code(account))
    return account


def _bank_url(owner):
    establishment = Habilitation.objects.get(account=owner).establishments.get()
    return f"/espace/etablissements/{establishment.pk}/coordonnees-bancaires/"


def test_the_password_alone_does_not_change_the_bank_details(client, owner):
    """A thief with the session cookie and the password, but not the phone."""
    client.get("/confirmer-mon-identite/")
    client.post("/confirmer-mon-identite/", {"password": STRONG_PASSWORD, "next": "/espace/"})

    response = client.post(_bank_url(owner), BANK)

    assert response.status_code == 302
    assert response.url.startswith("/confirmer-mon-identite/")
    assert not AuditEvent.objects.filter(action="establishment.bank_details_changed").exists()


def test_the_password_and_the_factor_allow_the_change(client, owner):
    confirm_identity(client, owner)

    client.post(_bank_url(owner), BANK)

    assert AuditEvent.objects.filter(
        action="establishment.bank_details_changed", actor=owner
    ).exists()
