"""Second factors in Chromium: a passkey made, used and removed with a virtual authenticator
(the DevTools WebAuthn domain through Playwright's CDP session); the second step's page."""

import re

import pytest

from apart.audit.models import AuditEvent
from apart.mfa.models import Passkey
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.second_factor import confirm_password
from tests.space.factories import employer_with_establishments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def authenticator(page):
    """A platform authenticator with user verification (like a phone's fingerprint)."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    created = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, created["authenticatorId"]


def _log_in(page, live_server, account):
    page.goto(live_server.url + "/connexion/")
    box = page.locator("form.apart-login-form")
    box.get_by_label("Utilisateur :").fill(account.login)
    box.get_by_label("Mot de passe :").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        box.get_by_role("button", name="Connexion").click()


def _log_out(page):
    with page.expect_navigation():
        page.get_by_role("button", name="DÉCONNEXION").first.click()


def test_a_passkey_is_enrolled_used_at_login_and_removed(page, live_server, authenticator):
    session, authenticator_id = authenticator
    account = employer_with_establishments(1)
    _log_in(page, live_server, account)
    page.wait_for_url(re.compile("/espace/$"))

    # Enrol from « Double authentification », after « Confirmez votre identité ».
    page.goto(live_server.url + "/double-authentification/")
    assert_accessible(page)
    page.get_by_role("link", name="Confirmer mon identité").click()
    confirm_password(page, STRONG_PASSWORD)
    page.wait_for_url(re.compile("/double-authentification/$"))
    page.get_by_label("Nom").first.fill("Ordinateur du bureau")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter une clé d'accès").click()
    assert page.get_by_role("heading", name="Vos codes de secours").is_visible()
    assert page.locator(".apart-recovery-codes code").count() == 10
    passkey = Passkey.objects.get(account=account)
    assert passkey.name == "Ordinateur du bureau"
    [stored] = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
        "credentials"
    ]
    assert stored["rpId"] == "localhost"

    # The next login asks for it after the password.
    _log_out(page)
    _log_in(page, live_server, account)
    page.wait_for_url(re.compile("/connexion/verification/"))
    assert page.get_by_role("heading", name="Vérification en deux étapes").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Utiliser ma clé d'accès").click()
    page.wait_for_url(re.compile("/espace/$"))
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None
    assert AuditEvent.objects.filter(action="account.login", account=account).count() == 2

    # Removing it asks the identity again: the password, then the passkey (step-up).
    page.goto(live_server.url + "/double-authentification/")
    page.get_by_role("link", name="Confirmer mon identité").click()
    confirm_password(page, STRONG_PASSWORD)
    page.wait_for_url(re.compile("/confirmer-mon-identite/double-authentification/"))
    assert page.get_by_role("heading", name="Confirmez votre identité").is_visible()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Utiliser ma clé d'accès").click()
    page.wait_for_url(re.compile("/double-authentification/$"))
    with page.expect_navigation():
        page.get_by_role("button", name="Supprimer « Ordinateur du bureau »").click()
    assert page.get_by_text("« Ordinateur du bureau » est supprimé").is_visible()
    assert not Passkey.objects.filter(account=account).exists()
    _log_out(page)
    _log_in(page, live_server, account)
    page.wait_for_url(re.compile("/espace/$"))
