"""An account with APART's second factor signing in through ProConnect: the factor is asked
before the session opens, unless the provider vouched for a second factor itself (acr)."""

import pytest

from apart.habilitations.models import Habilitation
from apart.proconnect.models import ProConnectIdentity
from tests.accounts.factories import STRONG_PASSWORD
from tests.habilitations.factories import make_account, make_habilitation
from tests.mfa.factories import enrol_totp, unused_code
from tests.proconnect.flow import LINK, sign_in

pytestmark = pytest.mark.django_db

VERIFY = "/connexion/verification/"


@pytest.fixture
def employer(provider):
    account = make_account(email=provider.user["email"], password=STRONG_PASSWORD)
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)
    enrol_totp(account)
    return account


def _link(account, provider):
    ProConnectIdentity.objects.create(
        account=account,
        issuer=provider.issuer,
        subject=provider.user["sub"],
        email=account.email,
        linked_by=ProConnectIdentity.LinkProof.PASSWORD,
    )


def test_a_single_factor_provider_login_still_asks_apart_s_factor(client, provider, employer):
    _link(employer, provider)
    provider.acr = "eidas1"

    response = sign_in(client, provider)

    assert response["Location"] == VERIFY
    assert "_auth_user_id" not in client.session
    assert client.get("/espace/").status_code == 302
    client.get(VERIFY)
    done = client.post(VERIFY, {"code": unused_code(employer)})
    assert done["Location"] == "/espace/"
    assert client.session["_auth_user_id"] == str(employer.pk)


def test_a_provider_that_checked_a_second_factor_opens_the_session(client, provider, employer):
    _link(employer, provider)
    provider.acr = "eidas2"

    response = sign_in(client, provider)

    assert response["Location"] == "/espace/"
    assert client.session["_auth_user_id"] == str(employer.pk)


def test_linking_with_the_password_then_asks_the_factor(client, provider, employer):
    sign_in(client, provider)
    client.get(LINK)

    response = client.post(
        LINK, {"proof": "password", "login": employer.login, "password": STRONG_PASSWORD}
    )

    assert response["Location"] == VERIFY
    assert ProConnectIdentity.objects.filter(account=employer).exists()
    assert "_auth_user_id" not in client.session
