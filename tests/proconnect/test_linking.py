"""Who is who: an identity is linked to an account only once the account is proven."""

import re

import pytest

from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.proconnect import messages as texts
from apart.proconnect.models import ProConnectIdentity
from tests.accounts.factories import STRONG_PASSWORD
from tests.habilitations.factories import make_account, make_agent, make_habilitation
from tests.mfa.factories import unused_code
from tests.proconnect.flow import LINK, LOGIN, sign_in

FINISH = "/proconnect/association/confirmation/"

pytestmark = pytest.mark.django_db


def html(message: str) -> str:
    return message.replace("'", "&#x27;")


@pytest.fixture
def employer(provider):
    """A habilitated employer with a password, whose email is the one ProConnect vouches for."""
    account = make_account(email=provider.user["email"], password=STRONG_PASSWORD)
    make_habilitation(account=account, status=Habilitation.Status.ACTIVE)
    return account


def prove_with_password(client, login: str, password: str = STRONG_PASSWORD):
    client.get(LINK)
    return client.post(LINK, {"proof": "password", "login": login, "password": password})


def test_the_email_claim_alone_links_nothing(client, provider, employer):
    response = sign_in(client, provider)

    assert response["Location"] == LINK
    assert ProConnectIdentity.objects.count() == 0
    assert client.get("/espace/").status_code == 302
    page = client.get(LINK).content.decode()
    assert "Associer votre identité ProConnect à votre compte" in page


def test_the_account_password_links_the_identity_and_logs_in(client, provider, employer):
    sign_in(client, provider)

    response = prove_with_password(client, employer.login)

    assert response["Location"] == "/espace/"
    identity = ProConnectIdentity.objects.get()
    assert identity.account == employer
    assert (identity.issuer, identity.subject) == (provider.issuer, provider.user["sub"])
    assert identity.linked_by == "password"
    assert AuditEvent.objects.filter(action="proconnect.linked", account=employer).exists()
    assert client.get("/espace/").status_code == 200


def test_next_time_the_button_alone_suffices(client, provider, employer):
    sign_in(client, provider)
    prove_with_password(client, employer.login)
    client.post("/deconnexion/", {})

    response = sign_in(client, provider)

    assert response["Location"] == "/espace/"


def test_a_wrong_password_links_nothing(client, provider, employer):
    sign_in(client, provider)

    response = prove_with_password(client, employer.login, "Mauvais-mot2passe!")

    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert ProConnectIdentity.objects.count() == 0


def test_the_password_of_another_account_links_that_account(client, provider, employer):
    """Proof is the password, not the email: a person whose ProConnect email differs from the
    account's links it by typing the account's login and password."""
    other = make_account(email="autre.adresse@example.fr", password=STRONG_PASSWORD)
    make_habilitation(account=other, status=Habilitation.Status.ACTIVE)
    sign_in(client, provider)

    prove_with_password(client, other.login)

    assert ProConnectIdentity.objects.get().account == other


def test_sub_already_linked_elsewhere(client, provider, employer):
    sign_in(client, provider)
    # Meanwhile the same identity got linked to another account.
    other = make_account()
    ProConnectIdentity.objects.create(
        account=other,
        issuer=provider.issuer,
        subject=provider.user["sub"],
        linked_by="password",
    )

    response = prove_with_password(client, employer.login)

    assert html(texts.ALREADY_LINKED) in client.get(response["Location"]).content.decode()
    assert ProConnectIdentity.objects.get().account == other
    event = AuditEvent.objects.get(action="proconnect.login_failed")
    assert (event.reason, event.account) == ("sub_already_linked", employer)


def test_an_account_keeps_its_one_identity(client, provider, employer):
    ProConnectIdentity.objects.create(
        account=employer, issuer=provider.issuer, subject="another-sub", linked_by="password"
    )
    sign_in(client, provider)

    response = prove_with_password(client, employer.login)

    assert html(texts.ACCOUNT_ALREADY_LINKED) in client.get(response["Location"]).content.decode()
    assert ProConnectIdentity.objects.get().subject == "another-sub"


def test_the_link_page_needs_a_fresh_identity(client, provider):
    response = client.get(LINK)

    assert response["Location"] == LOGIN
    assert html(texts.LINK_SESSION_EXPIRED) in client.get(LOGIN).content.decode()


def test_an_attacker_with_only_the_email_cannot_link(client, provider, employer):
    """A ProConnect identity bearing the victim's email, and a guessed password: nothing."""
    provider.user = {**provider.user, "sub": "attaquant"}
    sign_in(client, provider)

    for guess in ("Motdepasse1!", "Azerty123!"):
        prove_with_password(client, employer.login, guess)

    assert ProConnectIdentity.objects.count() == 0
    assert client.get("/espace/").status_code == 302


def test_an_agent_is_linked_with_an_allowed_domain(client, provider):
    agent = make_agent(email="agnes@asp.fr", password=STRONG_PASSWORD)
    provider.user = {**provider.user, "email": "agnes@asp.fr"}
    sign_in(client, provider)

    verify = prove_with_password(client, agent.login)["Location"]
    client.get(verify)
    # The agent's second factor, then the confirmation in the open session (apart.mfa).
    finish = client.post(verify, {"code": unused_code(agent), "next": FINISH})["Location"]
    response = client.post(finish, {})

    assert response["Location"] == "/gestion/"
    assert ProConnectIdentity.objects.get().account == agent


def test_an_agent_is_not_linked_outside_the_allowed_domains(client, provider):
    agent = make_agent(email="agnes@asp.fr", password=STRONG_PASSWORD)
    provider.user = {**provider.user, "email": "agnes@gmail.example"}
    sign_in(client, provider)

    response = prove_with_password(client, agent.login)

    assert html(texts.AGENT_DOMAIN_REFUSED) in client.get(response["Location"]).content.decode()
    assert ProConnectIdentity.objects.count() == 0
    assert "proconnect" not in response["Location"]  # the usual second step, no link after it


# -- proof by a link sent to the account's address ---------------------------------------------


def ask_for_link(client):
    client.get(LINK)
    return client.post(LINK, {"proof": "email"})


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"https?://\S+/proconnect/association/\S+/", body)
    assert found is not None, body
    return "/" + found.group(0).split("/", 3)[3]


def test_the_emailed_link_links_the_identity(
    client, provider, employer, smtp_server, deliver_outbox
):
    sign_in(client, provider)
    response = ask_for_link(client)
    assert response["Location"] == LOGIN
    assert "un courriel contenant un lien" in client.get(LOGIN).content.decode()
    assert ProConnectIdentity.objects.count() == 0

    deliver_outbox()
    [message] = smtp_server.to(employer.email)
    url = link_in(message)
    page = client.get(url).content.decode()
    assert employer.login in page
    assert ProConnectIdentity.objects.count() == 0  # the GET writes nothing
    client.post(url, {})

    identity = ProConnectIdentity.objects.get()
    assert (identity.account, identity.linked_by) == (employer, "email")
    assert sign_in(client, provider)["Location"] == "/espace/"


def test_the_emailed_link_works_once(client, provider, employer, smtp_server, deliver_outbox):
    sign_in(client, provider)
    ask_for_link(client)
    deliver_outbox()
    url = link_in(smtp_server.to(employer.email)[0])
    client.get(url)
    client.post(url, {})

    again = client.get(url)

    assert again.status_code == 404
    assert "Ce lien n'est plus valable" in again.content.decode()


def test_no_account_with_that_email_gets_the_same_page_and_no_email(
    client, provider, smtp_server, deliver_outbox
):
    provider.user = {**provider.user, "email": "inconnu@example.fr", "siret": ""}
    sign_in(client, provider)

    response = ask_for_link(client)

    assert "un courriel contenant un lien" in client.get(response["Location"]).content.decode()
    deliver_outbox()
    assert smtp_server.messages == []
    assert AuditEvent.objects.filter(reason="link_email_no_account").exists()
