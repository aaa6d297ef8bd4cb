"""Agents must use a second factor: without one they reach nothing but the enrolment; with one,
every login asks for it. An operator setting makes it mandatory for employers too."""

import pytest

from apart.accounts.models import Account
from apart.mfa.models import TotpDevice
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.accounts.helpers import submit_login
from tests.habilitations.factories import make_agent
from tests.mfa.factories import current_code, enrol_totp
from tests.mfa.helpers import confirm_identity, submit_code

pytestmark = pytest.mark.django_db

ENROLMENT = "/double-authentification/"


@pytest.fixture
def agent():
    return make_agent(
        role=Account.Role.ADMINISTRATOR, password=STRONG_PASSWORD, second_factor=False
    )


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/",
        "/gestion/demandes/",
        "/gestion/assistance/",
        "/gestion/admin/",
        "/gestion/autorisations/",
        "/espace/",
        "/",
    ],
)
def test_an_agent_without_a_factor_reaches_only_the_enrolment(client, agent, path):
    response = submit_login(client, agent.login, STRONG_PASSWORD)
    assert response.status_code == 302

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == ENROLMENT


def test_an_agent_without_a_factor_sees_why_on_the_enrolment_page(client, agent):
    submit_login(client, agent.login, STRONG_PASSWORD)

    page = client.get(ENROLMENT).content.decode()

    assert "Enregistrez un moyen de double authentification pour continuer" in page
    assert "Aucune autre page n'est accessible avant cet enregistrement." in page


def test_an_agent_without_a_factor_can_still_log_out(client, agent):
    submit_login(client, agent.login, STRONG_PASSWORD)
    client.get(ENROLMENT)

    response = client.post("/deconnexion/", {})

    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session


def test_a_post_of_an_agent_without_a_factor_is_refused_too(client, agent):
    submit_login(client, agent.login, STRONG_PASSWORD)
    client.get(ENROLMENT)

    response = client.post("/gestion/demandes/approuver/", {"habilitation": ["1"]})

    assert response.status_code == 302 and response.url == ENROLMENT


def test_an_agent_reaches_the_back_office_once_enrolled(client, agent):
    submit_login(client, agent.login, STRONG_PASSWORD)
    enrol_totp(agent)

    assert client.get("/gestion/").status_code == 200


def test_every_login_of_an_enrolled_agent_asks_for_the_factor(client, agent):
    enrol_totp(agent)

    response = submit_login(client, agent.login, STRONG_PASSWORD)
    assert response.url == "/connexion/verification/"
    assert "_auth_user_id" not in client.session
    response = submit_code(client, current_code())

    assert response.url == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_an_agent_cannot_remove_the_last_factor(client, agent):
    device = enrol_totp(agent)
    client.force_login(agent)
    confirm_identity(client, agent)
    client.get(ENROLMENT)

    response = client.post(f"/double-authentification/application/{device.pk}/supprimer/", {})

    assert TotpDevice.objects.filter(pk=device.pk).exists()
    assert "dernier moyen de double authentification" in client.get(ENROLMENT).content.decode()
    assert response.status_code == 302


def test_employers_may_log_in_without_a_factor_by_default(client):
    employer = make_active_account()
    submit_login(client, employer.login, STRONG_PASSWORD)

    assert client.get("/espace/mon-compte/").status_code == 200


def test_the_operator_can_make_the_factor_mandatory_for_employers(client, settings):
    settings.APART_MFA_REQUIRED_FOR_EMPLOYERS = True
    employer = make_active_account()
    submit_login(client, employer.login, STRONG_PASSWORD)

    response = client.get("/espace/mon-compte/")

    assert response.status_code == 302 and response.url == ENROLMENT


def test_a_temporary_password_is_changed_before_the_enrolment(client):
    from apart.accounts.services import create_agent

    agent, temporary = create_agent(
        login="paul.agent", email="paul@asp.fr", role=Account.Role.INSTRUCTOR
    )
    submit_login(client, agent.login, temporary)

    response = client.get("/gestion/")

    assert response.url == "/changement-mot-de-passe/"


def test_an_agent_without_a_factor_confirms_the_password_then_enrols(client, agent):
    submit_login(client, agent.login, STRONG_PASSWORD)
    response = client.get("/double-authentification/application/")
    assert response.url.startswith("/confirmer-mon-identite/")

    client.get(response.url)
    response = client.post(
        "/confirmer-mon-identite/",
        {"password": STRONG_PASSWORD, "next": "/double-authentification/application/"},
    )

    assert response.url == "/double-authentification/application/"
    assert client.get(response.url).status_code == 200
