"""The emailed link: « GESTION DU MOT DE PASSE », « Vous devez indiquer votre nouveau mot de
passe » (guide, chapter 3), and the token's rules (single use, 60 minutes, newest only)."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from apart.accounts.recovery.models import PasswordResetToken
from apart.accounts.recovery.services import issue_reset_token
from apart.accounts.services import change_password
from apart.audit.models import AuditEvent
from apart.core.captcha import CAPTCHA_ERROR
from tests.accounts.helpers import submit_login
from tests.recovery.helpers import (
    ANSWER,
    CAPTCHA_OK,
    PASSWORD_CHANGED,
    PASSWORD_QUESTION,
    PASSWORD_START,
    answer,
    ask_password_reset,
    captcha_key,
    html,
    reset_link_path,
    submit,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Autre-Mot2passe!"
INVALID_LINK = "Ce lien de réinitialisation n'est plus valable"


def link(raw: str) -> str:
    return f"/mot-de-passe-oublie/jeton/{raw}/"


def choose(client, path, password=NEW_PASSWORD, confirmation=None, **kwargs):
    data = {"password1": password, "password2": password if confirmation is None else confirmation}
    return submit(client, path, data, **kwargs)


def test_the_page_of_the_link_is_the_guides(client, account):
    page = html(client.get(link(issue_reset_token(account=account))))

    assert "GESTION DU MOT DE PASSE" in page
    assert "Vous devez indiquer votre nouveau mot de passe" in page
    assert (
        "Le jeton envoyé par mail vous permet de réinitialiser votre mot de passe. Pour recevoir "
        f'un nouveau jeton, <a href="{PASSWORD_START}">cliquez ici</a>.'
    ) in page
    assert "Votre mot de passe doit respecter les contraintes suivantes :" in page
    for rule in (
        "Nombre minimum de caractères : 8",
        "Nombre minimum de minuscules : 1",
        "Nombre minimum de majuscules : 1",
        "Nombre minimum de chiffres : 1",
        "Nombre minimum de caractères spéciaux : 1",
        "Votre nouveau mot de passe ne doit pas être identique à votre identifiant",
    ):
        assert re.search(rf'<li data-check="\w+"[^\n]*?>{re.escape(rule)}', page), rule
    assert ">Adresse de messagerie</label>" in page
    assert f'value="{account.email}"' in page
    assert ">Nouveau mot de passe</label>" in page
    assert ">Confirmation</label>" in page
    assert 'name="captcha_1"' in page
    assert ">Envoyer</button>" in page


def test_the_rules_follow_the_configured_policy(client, account, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "apart.accounts.passwords.PasswordPolicyValidator",
            "OPTIONS": {"min_length": 12, "min_digits": 2},
        }
    ]

    page = html(client.get(link(issue_reset_token(account=account))))

    assert "Nombre minimum de caractères : 12" in page
    assert "Nombre minimum de chiffres : 2" in page


def test_a_password_without_capitals_gets_the_guides_message(client, account):
    response = choose(client, link(issue_reset_token(account=account)), "autre-mot2passe!")

    page = html(response)
    assert response.status_code == 200
    alert = '<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-1w"><p>{}</p></div>'
    assert alert.format("Votre mot de passe n'a pas assez de majuscules") in page
    assert 'aria-describedby="contraintes id_password1-desc-error"' in page


def test_each_failed_rule_gets_its_own_message(client, account):
    page = html(choose(client, link(issue_reset_token(account=account)), "abc"))

    for message in (
        "Votre mot de passe doit comporter au moins 8 caractères",
        "Votre mot de passe n'a pas assez de majuscules",
        "Votre mot de passe n'a pas assez de chiffres",
        "Votre mot de passe n'a pas assez de caractères spéciaux",
    ):
        assert message in page
    assert "Votre mot de passe n'a pas assez de minuscules" not in page


def test_the_login_as_password_is_refused(client, account):
    page = html(choose(client, link(issue_reset_token(account=account)), account.login))

    assert "Votre nouveau mot de passe ne doit pas être identique à votre identifiant" in page


def test_a_wrong_captcha_gets_the_guides_message(client, account):
    response = choose(client, link(issue_reset_token(account=account)), captcha="faux")

    assert CAPTCHA_ERROR == "Le captcha n'a pas été entré correctement. Essayez à nouveau."
    assert CAPTCHA_ERROR in html(response)
    account.refresh_from_db()
    assert not account.check_password(NEW_PASSWORD)


def test_different_confirmation_gets_the_guides_message(client, account):
    response = choose(
        client, link(issue_reset_token(account=account)), confirmation="Autre-Mot3passe!"
    )

    assert "Les mots de passe ne correspondent pas" in html(response)


def test_typed_passwords_are_never_sent_back(client, account):
    page = html(choose(client, link(issue_reset_token(account=account)), "autre-mot2passe!"))

    assert "autre-mot2passe!" not in page


def test_a_valid_password_is_set_and_the_guides_message_shown(client, account):
    response = choose(client, link(issue_reset_token(account=account)))

    assert response.status_code == 302
    assert response.url == PASSWORD_CHANGED
    page = html(client.get(PASSWORD_CHANGED))
    assert "Votre mot de passe a été changé" in page
    assert "fr-alert--success" in page
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_the_whole_journey_from_the_email(client, account, smtp_server, deliver_outbox):
    ask_password_reset(client, account.login)
    answer(client, PASSWORD_QUESTION, ANSWER)
    deliver_outbox()
    path = reset_link_path(smtp_server.text_of(smtp_server.messages[0]))

    response = choose(client, path)

    assert response.url == PASSWORD_CHANGED
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_the_first_login_change_and_the_temporary_password_are_cleared(client, account):
    account.must_change_password = True
    account.temporary_password_expires_at = timezone.now() + timedelta(days=3)
    account.save()

    choose(client, link(issue_reset_token(account=account)))

    account.refresh_from_db()
    assert account.must_change_password is False
    assert account.temporary_password_expires_at is None


def test_the_account_is_told_by_email(client, account, smtp_server, deliver_outbox):
    choose(client, link(issue_reset_token(account=account)))
    deliver_outbox()

    [message] = smtp_server.to(account.email)
    assert message["Subject"] == "Votre mot de passe a été modifié"
    body = smtp_server.text_of(message)
    assert account.login in body
    assert "contactez immédiatement l'Assistance" in body


def test_every_session_of_the_account_ends(client, account, settings):
    settings.APART_LOGIN_CHECKS = []  # the account alone: the habilitation gate has its tests
    elsewhere = Client()
    elsewhere.force_login(account)
    assert elsewhere.get("/").wsgi_request.user.is_authenticated

    choose(client, link(issue_reset_token(account=account)))

    assert not elsewhere.get("/").wsgi_request.user.is_authenticated


def test_a_login_lockout_is_lifted(client, account, settings):
    attacker = Client()
    for _ in range(settings.APART_LOGIN_MAX_FAILURES + 1):
        locked = submit_login(attacker, account.login, "Mauvais-Mot2passe")
    assert "temporairement verrouillé" in html(locked)

    choose(client, link(issue_reset_token(account=account)))

    response = submit_login(Client(), account.login, NEW_PASSWORD)
    # Past the lock and the password check (the habilitation gate may still refuse the login).
    assert "temporairement verrouillé" not in html(response)
    assert "Identifiant ou mot de passe incorrect." not in html(response)


def test_the_token_and_the_password_change_are_audited(client, account):
    choose(client, link(issue_reset_token(account=account)))

    actions = set(AuditEvent.objects.filter(account=account).values_list("action", flat=True))
    assert {"recovery.token_issued", "recovery.token_used", "account.password_changed"} <= actions


# --- The token ---------------------------------------------------------------------------------


def test_the_token_is_long_random_and_stored_only_hashed(account):
    raw = issue_reset_token(account=account)

    assert len(raw) >= 43  # secrets.token_urlsafe(32): 256 bits
    token = PasswordResetToken.objects.get(account=account)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = PasswordResetToken.objects.filter(account=account).values().get()
    assert raw not in str(stored)


def test_the_token_serves_once(client, account):
    path = link(issue_reset_token(account=account))
    choose(client, path)

    again = client.get(path)

    assert INVALID_LINK in html(again)
    assert f'<a href="{PASSWORD_START}">cliquez ici</a>' in html(again)


def test_a_used_token_cannot_set_a_second_password(client, account):
    path = link(issue_reset_token(account=account))
    page = client.get(path)
    first = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    client.post(path, {**first, "captcha_0": captcha_key(page), "captcha_1": CAPTCHA_OK})
    second = client.post(
        path, {"password1": "Troisieme-2!", "password2": "Troisieme-2!", "captcha_1": CAPTCHA_OK}
    )

    assert INVALID_LINK in html(second)
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_the_token_is_valid_sixty_minutes(client, account, settings):
    assert settings.APART_RECOVERY_TOKEN_MINUTES == 60
    path = link(issue_reset_token(account=account))

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert "Vous devez indiquer votre nouveau mot de passe" in html(client.get(path))
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert INVALID_LINK in html(client.get(path))


def test_an_expired_token_cannot_set_the_password(client, account):
    path = link(issue_reset_token(account=account))
    page = client.get(path)
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(captcha_0=captcha_key(page), captcha_1=CAPTCHA_OK)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = client.post(path, data)

    assert INVALID_LINK in html(response)
    account.refresh_from_db()
    assert not account.check_password(NEW_PASSWORD)


def test_a_newer_token_voids_the_older_one(client, account):
    older = link(issue_reset_token(account=account))
    newer = link(issue_reset_token(account=account))

    assert INVALID_LINK in html(client.get(older))
    assert "Vous devez indiquer votre nouveau mot de passe" in html(client.get(newer))


def test_a_password_changed_otherwise_voids_the_token(client, account):
    path = link(issue_reset_token(account=account))

    change_password(account=account, new_password="Change-Autrement3!")

    assert INVALID_LINK in html(client.get(path))


def test_a_deactivated_account_cannot_use_its_token(client, account):
    path = link(issue_reset_token(account=account))
    account.is_active = False
    account.save()

    assert INVALID_LINK in html(client.get(path))


@pytest.mark.parametrize("raw", ["x", "a" * 300, "%00", "jeton%20avec%20espaces", "é" * 10])
def test_a_made_up_token_gets_the_invalid_page(client, raw):
    response = client.get(f"/mot-de-passe-oublie/jeton/{raw}/")

    assert response.status_code == 200
    assert INVALID_LINK in html(response)


def test_one_open_token_per_account_is_a_database_rule(account):
    issue_reset_token(account=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        PasswordResetToken.objects.create(
            account=account,
            token_hash="0" * 64,
            password_fingerprint="x",
            expires_at=timezone.now() + timedelta(minutes=5),
        )


@pytest.mark.parametrize("typed", ["Aa1!" + "x" * 5000, "Aa1!\x00xxxx", "Aa1!\u202exxxx"])
def test_odd_passwords_never_break_the_page(client, account, typed):
    response = choose(client, link(issue_reset_token(account=account)), typed)

    assert response.status_code == 200
    assert "fr-alert--error" in html(response)
