import pytest

from apart.accounts.models import Account
from apart.accounts.services import change_password, create_agent
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login
from tests.mfa.factories import enrol_totp, unused_code
from tests.mfa.helpers import submit_code

pytestmark = pytest.mark.django_db


def agent(role: str) -> Account:
    account, _ = create_agent(login=f"agent.{role}", email=f"{role}@asp.fr", role=role)
    change_password(account=account, new_password=STRONG_PASSWORD)
    enrol_totp(account)
    return account


def log_in_agent(client, account: Account) -> None:
    submit_login(client, account.login, STRONG_PASSWORD)
    submit_code(client, unused_code(account))


def test_an_administrator_reaches_the_admin(client):
    log_in_agent(client, agent(Account.Role.ADMINISTRATOR))

    response = client.get("/gestion/admin/accounts/account/")

    assert response.status_code == 200
    assert "agent.administrateur" in response.content.decode()


@pytest.mark.parametrize("role", [Account.Role.INSTRUCTOR, Account.Role.ASSISTANCE])
def test_other_agents_do_not(client, role):
    log_in_agent(client, agent(role))

    response = client.get("/gestion/admin/")

    assert response.status_code == 302
    assert "/gestion/admin/login/" in response.url
    assert client.get(response.url).status_code == 302


def test_an_employer_does_not(client):
    make_active_account(first_name="Ilmen", last_name="Foplus")
    submit_login(client, "ilmen.foplus", STRONG_PASSWORD)

    assert client.get("/gestion/admin/").status_code == 302


def test_the_admin_has_no_login_form_of_its_own(client):
    response = client.get("/gestion/admin/login/?next=/gestion/admin/")

    assert response.status_code == 302
    assert response.url == "/connexion/?next=%2Fgestion%2Fadmin%2F"


def test_passwords_and_secret_answers_are_not_shown(client):
    admin = agent(Account.Role.ADMINISTRATOR)
    log_in_agent(client, admin)

    html = client.get(f"/gestion/admin/accounts/account/{admin.pk}/change/").content.decode()

    assert "argon2" not in html
