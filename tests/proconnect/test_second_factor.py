"""An account with APART's second factor signing in through ProConnect: the factor is asked
before the session opens, unless the provider vouched for a second factor itself (acr)."""

import pytest

from apart.audit.models import AuditEvent
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


FINISH = "/proconnect/association/confirmation/"


def _password(client, account, password=STRONG_PASSWORD):
    client.get(LINK)
    return client.post(LINK, {"proof": "password", "login": account.login, "password": password})


def test_linking_with_the_password_then_asks_the_factor(client, provider, employer):
    sign_in(client, provider)

    response = _password(client, employer)

    assert response["Location"] == VERIFY + "?next=%2Fproconnect%2Fassociation%2Fconfirmation%2F"
    assert not ProConnectIdentity.objects.exists()  # the password alone proves nothing here
    assert "_auth_user_id" not in client.session


def test_the_identity_is_linked_after_the_factor_and_a_confirmation(client, provider, employer):
    sign_in(client, provider)
    verify = _password(client, employer)["Location"]
    client.get(verify)

    done = client.post(verify, {"code": unused_code(employer), "next": FINISH})
    assert done["Location"] == FINISH
    assert "Confirmer l'association" in client.get(FINISH).content.decode()
    assert not ProConnectIdentity.objects.exists()  # the GET wrote nothing
    client.post(FINISH, {})

    identity = ProConnectIdentity.objects.get()
    assert (identity.account, identity.linked_by) == (employer, "password")


def test_an_attacker_with_the_password_and_a_strong_provider_login_links_nothing(
    client, provider, employer
):
    """The victim's password and the attacker's own ProConnect identity checked with a second
    factor (acr eidas2): without the victim's own factor, nothing is linked."""
    provider.user = {**provider.user, "sub": "attaquant"}
    provider.acr = "eidas2"
    sign_in(client, provider)
    verify = _password(client, employer)["Location"]
    client.get(verify)
    client.post(verify, {"code": "000000", "next": FINISH})

    response = client.post(FINISH, {})

    assert response["Location"] == "/connexion/"
    assert not ProConnectIdentity.objects.exists()
    assert client.get("/espace/").status_code == 302


def test_no_emailed_link_for_an_account_with_a_second_factor(
    client, provider, employer, smtp_server, deliver_outbox
):
    sign_in(client, provider)
    client.get(LINK)

    client.post(LINK, {"proof": "email"})

    deliver_outbox()
    assert smtp_server.messages == []
    assert AuditEvent.objects.filter(reason="second_factor_required").exists()
