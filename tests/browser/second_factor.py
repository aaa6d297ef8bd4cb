"""The login's second step in the browser, for accounts enrolled by tests.mfa.factories."""

import re
from typing import Any

from django.utils import timezone

from apart.accounts.models import Account
from apart.mfa import totp
from tests.browser.axe import assert_accessible
from tests.mfa.factories import unused_code


def pass_second_step(page: Any, account: Account) -> None:
    page.wait_for_url(re.compile("/connexion/verification/"))
    page.get_by_label("Code de vérification").fill(unused_code(account))
    with page.expect_navigation():
        page.get_by_role("button", name="Valider").click()


def confirm_password(page: Any, password: str) -> None:
    """« Confirmez votre identité »: the password (an account without a factor stops there)."""
    page.wait_for_url(re.compile("/confirmer-mon-identite/"))
    page.get_by_label("Mot de passe actuel").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Valider").click()


def enrol_authenticator_app(
    page: Any, password: str, name: str = "Téléphone professionnel"
) -> list[str]:
    """From « Double authentification »: confirm the password, add an app by typing the shown
    key (as a person who cannot scan does), prove it with a code; returns the recovery codes
    shown once."""
    page.get_by_role("link", name="Ajouter une application d'authentification").click()
    confirm_password(page, password)
    page.wait_for_url(re.compile("/double-authentification/application/$"))
    assert_accessible(page)
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    page.get_by_label("Nom").fill(name)
    page.get_by_label("Code à 6 chiffres").fill(totp.code_at(secret, timezone.now()))
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l'application").click()
    assert page.get_by_role("heading", name="Vos codes de secours").is_visible()
    assert_accessible(page)
    codes = page.locator(".apart-recovery-codes code").all_inner_texts()
    with page.expect_navigation():
        page.get_by_role("link", name="J'ai conservé mes codes de secours").click()
    return codes
