from datetime import timedelta

import pytest
from django.utils import timezone

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_account, make_active_account
from tests.accounts.helpers import shown_messages, submit_login, submit_password_change
from tests.conftest import CsrfClient

pytestmark = pytest.mark.django_db

NEW = "Nouveau-Mot2passe?"


@pytest.fixture
def first_login(client):
    """An account logged in with its temporary password (guide, « Première connexion », step 1)."""
    account, temporary = make_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", temporary)
    return account, temporary


def test_the_page_is_the_guides(client, first_login):
    html = client.get("/changement-mot-de-passe/").content.decode()

    for text in (
        "Changement du mot de passe pour ilmen.foplus",
        "Entrez l&#x27;ancien mot de passe :",
        "Entrez le nouveau mot de passe :",
        "Confirmez le nouveau mot de passe :",
        "Le mot de passe doit être différent de l&#x27;identifiant et comporter 8 caractères "
        "minimum dont 1 chiffre et 1 caractère spécial minimum (exemples: „?!:;%#). "
        "Les caractères accentués ne sont pas autorisés.",
        ">Changement du mot de passe</button>",
    ):
        assert text in html


@pytest.mark.parametrize("path", ["/espace/", "/gestion/admin/"])
def test_no_other_page_of_the_space_is_reachable_before_the_change(client, first_login, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response.url == "/changement-mot-de-passe/"


def test_logout_stays_reachable_before_the_change(client, first_login):
    client.get("/changement-mot-de-passe/")

    client.post("/deconnexion/", {})

    assert "_auth_user_id" not in client.session


def test_the_change_ends_the_session_and_sends_back_to_the_login_box(client, first_login):
    _, temporary = first_login

    response = submit_password_change(client, temporary, NEW)

    assert response.status_code == 302
    assert response.url == "/"
    assert "_auth_user_id" not in client.session
    assert shown_messages(response) == [
        "Votre mot de passe a été changé. Connectez-vous avec votre nouveau mot de passe."
    ]


def test_after_the_change_the_new_password_logs_in_and_the_temporary_one_no_longer(
    client, first_login
):
    _, temporary = first_login
    submit_password_change(client, temporary, NEW)

    assert "Identifiant ou mot de passe incorrect." in (
        submit_login(CsrfClient(), "ilmen.foplus", temporary).content.decode()
    )
    assert submit_login(client, "ilmen.foplus", NEW).url == "/espace/"


def test_the_change_ends_the_other_sessions_of_the_account(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    other_browser = CsrfClient()
    submit_login(other_browser, "ilmen.foplus", STRONG_PASSWORD)
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    submit_password_change(client, STRONG_PASSWORD, NEW)

    assert other_browser.get("/changement-mot-de-passe/").status_code == 302
    account.refresh_from_db()
    assert account.password_changed_at is not None


def test_the_change_is_audited(client, first_login):
    account, temporary = first_login

    submit_password_change(client, temporary, NEW)

    assert AuditEvent.objects.get(action="account.password_changed").account == account


def test_a_wrong_old_password_is_refused_next_to_the_field(client, first_login):
    response = submit_password_change(client, "Pas-le-bon1", NEW)

    html = response.content.decode()
    assert "L&#x27;ancien mot de passe est incorrect." in html
    assert 'aria-describedby="id_old_password-desc-error"' in html
    assert Account.objects.get().must_change_password


def test_each_failed_rule_is_shown_next_to_the_new_password(client, first_login):
    _, temporary = first_login

    html = submit_password_change(client, temporary, "motdepasse").content.decode()

    assert "Votre mot de passe n&#x27;a pas assez de majuscules" in html
    assert "Votre mot de passe n&#x27;a pas assez de chiffres" in html
    assert "Votre mot de passe n&#x27;a pas assez de caractères spéciaux" in html
    assert "fr-input-group--error" in html


def test_the_new_password_cannot_be_the_login(client, first_login):
    _, temporary = first_login

    html = submit_password_change(client, temporary, "Ilmen.Foplus").content.decode()

    assert "Votre nouveau mot de passe ne doit pas être identique à votre identifiant" in html


def test_a_different_confirmation_is_refused(client, first_login):
    _, temporary = first_login

    html = submit_password_change(client, temporary, NEW, "Autre-Mot2passe").content.decode()

    assert "Les mots de passe ne correspondent pas" in html


def test_the_temporary_password_opens_one_session_only(client, first_login):
    _, temporary = first_login
    client.post("/deconnexion/", {})

    response = submit_login(client, "ilmen.foplus", temporary)

    html = response.content.decode()
    assert "Votre mot de passe temporaire a expiré ou a déjà été utilisé." in html
    assert 'href="/mot-de-passe-oublie/"' in html
    assert "_auth_user_id" not in client.session


def test_an_expired_temporary_password_gets_a_clear_message_and_the_way_out(client):
    account, temporary = make_account(first_name="Ilmen", last_name="Foplus")
    Account.objects.filter(pk=account.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )

    html = submit_login(client, "ilmen.foplus", temporary).content.decode()

    assert "Votre mot de passe temporaire a expiré ou a déjà été utilisé." in html
    assert "J&#x27;ai oublié mon mot de passe" in html or "J'ai oublié mon mot de passe" in html


def test_repeated_wrong_old_passwords_end_the_session(client, first_login, settings):
    settings.APART_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        submit_password_change(client, "Pas-le-bon1", NEW)

    response = submit_password_change(client, "Pas-le-bon1", NEW)

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
