import pytest

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from tests.accounts.factories import STRONG_PASSWORD, make_account, make_active_account
from tests.accounts.helpers import submit_login

pytestmark = pytest.mark.django_db

BAD_CREDENTIALS = "Identifiant ou mot de passe incorrect."


def test_the_home_page_shows_the_login_box_of_the_guide(client):
    html = client.get("/").content.decode()

    for text in (
        "MON ESPACE PERSONNEL",
        "Utilisateur :",
        "Mot de passe :",
        "Annuler",
        "Connexion",
        "J'ai oublié mon identifiant",
        "J'ai oublié mon mot de passe",
    ):
        assert text in html
    assert 'action="/connexion/"' in html
    assert 'href="/mot-de-passe-oublie/"' in html
    assert 'href="/identifiant-oublie/"' in html


def test_the_login_page_shows_the_same_form(client):
    html = client.get("/connexion/").content.decode()

    assert "MON ESPACE PERSONNEL" in html
    assert 'name="login"' in html
    assert 'autocomplete="current-password"' in html


def test_an_active_account_logs_in_and_lands_on_its_space(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert response.status_code == 302
    assert response.url == "/espace/"
    assert client.session["_auth_user_id"]


def test_the_login_is_case_insensitive(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, " Ilmen.FOPLUS ", STRONG_PASSWORD)

    assert response.url == "/espace/"


def test_a_wrong_password_and_an_unknown_login_get_the_same_message(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    wrong_password = submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")
    unknown_login = submit_login(client, "personne.inconnue", "Mauvais-Mot2passe")

    assert BAD_CREDENTIALS in wrong_password.content.decode()
    assert BAD_CREDENTIALS in unknown_login.content.decode()
    assert wrong_password.status_code == unknown_login.status_code == 200


def test_the_typed_login_is_kept_after_an_error_but_not_the_password(client):
    response = submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")

    html = response.content.decode()
    assert 'value="ilmen.foplus"' in html
    assert "Mauvais-Mot2passe" not in html


def test_the_session_key_changes_at_login(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    client.get("/connexion/")
    client.session.save()
    before = client.session.session_key

    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert client.session.session_key != before


def test_a_safe_next_is_followed(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD, next="/espace/?onglet=1")

    assert response.url == "/espace/?onglet=1"


@pytest.mark.parametrize(
    "next_url",
    ["https://pirate.example/", "//pirate.example/", "javascript:alert(1)", "1e309", "admin:index"],
)
def test_an_outside_next_is_ignored(client, next_url):
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD, next=next_url)

    assert response.url == "/espace/"


def test_a_page_needing_a_login_sends_to_the_login_page_and_back(client):
    response = client.get("/changement-mot-de-passe/")

    assert response.status_code == 302
    assert response.url == "/connexion/?next=/changement-mot-de-passe/"
    assert 'value="/changement-mot-de-passe/"' in client.get(response.url).content.decode()


def test_an_agent_lands_on_the_back_office(client):
    account = make_active_account(first_name="Marie", last_name="Agent")
    Account.objects.filter(pk=account.pk).update(role=Account.Role.INSTRUCTOR)

    assert submit_login(client, "marie.agent", STRONG_PASSWORD).url == "/gestion/"


def test_a_logged_in_person_visiting_the_login_page_goes_to_the_space(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert client.get("/connexion/").url == "/espace/"


def test_an_inactive_account_cannot_log_in(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    Account.objects.filter(pk=account.pk).update(is_active=False)

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert BAD_CREDENTIALS in response.content.decode()


def test_success_and_failure_are_audited_with_ip_and_user_agent(client):
    account = make_active_account(first_name="Ilmen", last_name="Foplus")
    client.defaults["HTTP_USER_AGENT"] = "Navigateur de test"

    submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    failure = AuditEvent.objects.get(action="account.login_failed")
    success = AuditEvent.objects.get(action="account.login")
    assert failure.account == account
    assert failure.outcome == AuditEvent.Outcome.FAILURE
    assert failure.reason == "bad_credentials"
    assert success.account == account
    assert success.ip_address == "127.0.0.1"
    assert success.user_agent == "Navigateur de test"
    account.refresh_from_db()
    assert account.last_login_ip == "127.0.0.1"
    assert account.last_login is not None


def test_a_failure_on_an_unknown_login_is_audited_without_account(client):
    submit_login(client, "personne.inconnue", "Mauvais-Mot2passe")

    event = AuditEvent.objects.get(action="account.login_failed")
    assert event.account is None
    assert event.new_values == {"login_typed": "personne.inconnue"}


def test_login_checks_can_refuse_after_the_password(client, settings):
    settings.APART_LOGIN_CHECKS = ["tests.accounts.login_checks.refuse_everybody"]
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert "Vous ne pouvez pas encore vous connecter." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.get(action="account.login_failed").reason.startswith("refused_by:")


def test_login_checks_are_not_run_for_a_wrong_password(client, settings):
    settings.APART_LOGIN_CHECKS = ["tests.accounts.login_checks.refuse_everybody"]
    make_active_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", "Mauvais-Mot2passe")

    assert BAD_CREDENTIALS in response.content.decode()


def test_a_check_returning_nothing_lets_the_person_in(client, settings):
    settings.APART_LOGIN_CHECKS = ["tests.accounts.login_checks.accept_everybody"]
    make_active_account(first_name="Ilmen", last_name="Foplus")

    assert submit_login(client, "ilmen.foplus", STRONG_PASSWORD).url == "/espace/"


def test_a_temporary_password_leads_to_the_password_change(client):
    account, password = make_account(first_name="Ilmen", last_name="Foplus")

    response = submit_login(client, "ilmen.foplus", password)

    assert response.url == "/changement-mot-de-passe/"
    account.refresh_from_db()
    assert account.temporary_password_used_at is not None


def test_a_logged_in_person_with_an_odd_next_goes_to_the_space(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert client.get("/connexion/?next=1e309").url == "/espace/"
