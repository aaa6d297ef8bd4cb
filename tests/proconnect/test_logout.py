"""RP-initiated logout: a session opened through ProConnect also ends at the provider."""

from urllib.parse import parse_qs, urlsplit

import pytest

from apart.habilitations.models import Habilitation
from apart.proconnect import acr
from apart.proconnect.models import ProConnectIdentity
from apart.proconnect.session import second_factor_satisfied
from tests.accounts.factories import STRONG_PASSWORD
from tests.habilitations.factories import make_account, make_habilitation
from tests.proconnect.flow import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(provider):
    account = make_account(password=STRONG_PASSWORD)
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)
    ProConnectIdentity.objects.create(
        account=account, issuer=provider.issuer, subject=provider.user["sub"], linked_by="password"
    )
    return account


def test_logout_goes_through_the_provider_end_session(client, provider, employer):
    sign_in(client, provider)

    response = client.post("/deconnexion/", {})

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == provider.issuer + "/session/end"
    query = parse_qs(target.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://testserver/proconnect/deconnexion/"]
    assert query["state"][0]
    assert client.get("/espace/").status_code == 302  # the local session is over already


def test_back_from_the_provider_the_home_page_says_logged_out(client, provider, employer):
    sign_in(client, provider)
    client.post("/deconnexion/", {})

    response = client.get("/proconnect/deconnexion/?state=x", follow=True)

    assert "Vous êtes déconnecté." in response.content.decode()


def test_a_password_session_logs_out_locally(client, provider, employer):
    client.get("/connexion/")
    client.post("/connexion/", {"login": employer.login, "password": STRONG_PASSWORD})

    response = client.post("/deconnexion/", {})

    assert response["Location"] == "/"


def test_a_two_factor_acr_satisfies_the_second_factor(client, settings, provider, employer):
    settings.APART_PROCONNECT_ACR = "eidas2"
    provider.acr = "eidas2"
    sign_in(client, provider)

    request = type("R", (), {"session": client.session})()

    assert second_factor_satisfied(request)


def test_a_one_factor_acr_does_not(client, provider, employer):
    provider.acr = "eidas1"
    sign_in(client, provider)

    request = type("R", (), {"session": client.session})()

    assert not second_factor_satisfied(request)


@pytest.mark.parametrize(
    ("value", "required", "expected"),
    [
        ("eidas1", "", True),
        ("eidas1", "eidas1", True),
        ("eidas1", "eidas2", False),
        ("eidas3", "eidas2", True),
        ("inconnu", "eidas1", False),
        ("https://proconnect.gouv.fr/assurance/self-asserted-2fa", "eidas1", True),
        ("https://proconnect.gouv.fr/assurance/self-asserted", "eidas2", False),
    ],
)
def test_acr_order(value, required, expected):
    assert acr.satisfies(value, required) is expected
