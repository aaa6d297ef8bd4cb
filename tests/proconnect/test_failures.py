"""Every failure of the ProConnect sign-in: a French message on the login page (where the
password login is still offered), an audit row, and no change to any account."""

import socket

import pytest

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.proconnect import client as proconnect_client
from apart.proconnect import messages as texts
from apart.proconnect.models import ProConnectIdentity
from tests.habilitations.factories import make_habilitation
from tests.proconnect.fixtures import point_at
from tests.proconnect.flow import CALLBACK, LOGIN, callback_url, press_button, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(provider):
    """A habilitated employer whose identity is linked: only the failure can stop the login."""
    account = make_habilitation(status=Habilitation.Status.ACTIVE).account
    ProConnectIdentity.objects.create(
        account=account,
        issuer=provider.issuer,
        subject=provider.user["sub"],
        email=account.email,
        linked_by=ProConnectIdentity.LinkProof.PASSWORD,
    )
    return account


def html(message: str) -> str:
    return message.replace("'", "&#x27;")


def assert_refused(client, response, message: str, reason: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    page = client.get(LOGIN).content.decode()
    assert html(message) in page
    assert 'name="password"' in page  # the guide's login is still there
    event = AuditEvent.objects.filter(action="proconnect.login_failed").latest("id")
    assert event.reason.startswith(reason), event.reason
    assert event.outcome == AuditEvent.Outcome.FAILURE
    assert not AuditEvent.objects.filter(action="account.login").exists()
    assert client.get("/espace/").status_code == 302  # not logged in


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_provider_down(client, settings, employer):
    point_at(settings, f"http://127.0.0.1:{free_port()}")
    proconnect_client._app.cache_clear()

    response = press_button(client)

    assert_refused(client, response, texts.UNAVAILABLE, "provider_unavailable")


def test_provider_down_after_the_redirect(client, provider, employer):
    url = callback_url(client, provider)
    provider.stop()

    response = client.get(url)

    assert_refused(client, response, texts.UNAVAILABLE, "provider_unavailable")


def test_provider_too_slow_for_the_timeout(client, settings, provider, employer):
    settings.APART_PROCONNECT_TIMEOUT = 1
    proconnect_client._app.cache_clear()
    url = callback_url(client, provider)
    provider.delay = 2.5

    response = client.get(url)

    assert_refused(client, response, texts.UNAVAILABLE, "provider_timeout")


def test_provider_answers_garbage(client, provider, employer):
    url = callback_url(client, provider)
    provider.token_garbage = True

    response = client.get(url)

    assert response["Location"] == LOGIN
    assert html(texts.UNAVAILABLE) in client.get(LOGIN).content.decode()
    event = AuditEvent.objects.filter(action="proconnect.login_failed").latest("id")
    assert event.reason == "provider_unavailable"
    assert not AuditEvent.objects.filter(action="account.login").exists()


def test_wrong_state(client, provider, employer):
    url = callback_url(client, provider)

    response = client.get(url.replace("state=", "state=x"))

    assert_refused(client, response, texts.EXPIRED_ATTEMPT, "state_mismatch")
    assert provider.token_requests == 0  # the code was not even sent to the provider


def test_a_callback_without_any_flow_started(client, provider, employer):
    response = client.get(CALLBACK + "?code=abc&state=def")

    assert_refused(client, response, texts.EXPIRED_ATTEMPT, "state_mismatch")


def test_the_same_callback_twice_is_refused(client, provider, employer):
    url = callback_url(client, provider)
    client.get(url)
    client.post("/deconnexion/", {})

    response = client.get(url)

    assert response["Location"] == LOGIN
    event = AuditEvent.objects.filter(action="proconnect.login_failed").latest("id")
    assert event.reason == "state_mismatch"


def test_replayed_code(client, provider, employer):
    first = callback_url(client, provider)
    client.get(first)
    client.post("/deconnexion/", {})
    # A new flow (a new state in the session) fed with the code already used.
    second = callback_url(client, provider)
    old_code = first.split("code=")[1].split("&")[0]
    new_code = second.split("code=")[1].split("&")[0]
    logins_before = AuditEvent.objects.filter(action="account.login").count()

    response = client.get(second.replace(new_code, old_code))

    assert response["Location"] == LOGIN
    assert html(texts.FAILED) in client.get(LOGIN).content.decode()
    event = AuditEvent.objects.filter(action="proconnect.login_failed").latest("id")
    assert event.reason == "token_refused:invalid_grant"
    assert AuditEvent.objects.filter(action="account.login").count() == logins_before


def test_bad_signature(client, provider, employer):
    provider.sign_with_rogue_key = True

    response = sign_in(client, provider)

    assert_refused(client, response, texts.FAILED, "id_token_bad_signature")


def test_wrong_nonce(client, provider, employer):
    provider.nonce_override = "not-the-nonce-we-sent"

    response = sign_in(client, provider)

    assert_refused(client, response, texts.FAILED, "id_token_invalid_claim:nonce")


def test_expired_token(client, provider, employer):
    provider.expired = True

    response = sign_in(client, provider)

    assert_refused(client, response, texts.EXPIRED_ATTEMPT, "id_token_expired")


def test_token_issued_for_another_client(client, provider, employer):
    provider.audience_override = "another-client"

    response = sign_in(client, provider)

    assert_refused(client, response, texts.FAILED, "id_token_invalid_claim:aud")


def test_token_from_another_issuer(client, provider, employer):
    provider.issuer_override = "https://faux-fournisseur.example"

    response = sign_in(client, provider)

    assert_refused(client, response, texts.FAILED, "id_token_invalid_claim:iss")


def test_acr_too_low(client, settings, provider, employer):
    settings.APART_PROCONNECT_ACR = "eidas2"
    provider.acr = "eidas1"

    response = sign_in(client, provider)

    assert_refused(client, response, texts.ACR_TOO_LOW, "acr_too_low")


def test_acr_high_enough_passes(client, settings, provider, employer):
    settings.APART_PROCONNECT_ACR = "eidas1"
    provider.acr = "eidas2"

    response = sign_in(client, provider)

    assert response["Location"] == "/espace/"


def test_the_provider_cancels(client, provider, employer):
    press_button(client)

    response = client.get(CALLBACK + "?error=access_denied&state=whatever")

    assert_refused(client, response, texts.CANCELLED, "provider_error:access_denied")


def test_no_account_changes_on_failure(client, provider, employer):
    before = list(Account.objects.values())
    provider.sign_with_rogue_key = True

    sign_in(client, provider)

    assert list(Account.objects.values()) == before
    assert ProConnectIdentity.objects.count() == 1
