"""A new employer with a `siret` claim: « Créer mon espace » prefilled, no temporary password."""

import pytest

from apart.accounts.models import Account
from apart.audit.models import AuditEvent
from apart.habilitations.models import Habilitation
from apart.proconnect.models import ProConnectIdentity
from apart.registration.models import RegistrationRequest
from tests.habilitations.factories import ensure_applications
from tests.proconnect.flow import LINK, sign_in
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import CAPTCHA, DONE, STEP2

pytestmark = pytest.mark.django_db


@pytest.fixture
def sirene(provider):
    ensure_applications()
    found = make_sirene()
    provider.user = {**provider.user, "siret": found.siret}
    return found


def step2_data(**overrides: str) -> dict[str, str]:
    return {
        **establishment(),
        **person(email="gerard.menuca@example.fr", email_confirm="gerard.menuca@example.fr"),
        **CAPTCHA,
        **overrides,
    }


def test_step_2_is_prefilled_from_proconnect(client, provider, sirene):
    response = sign_in(client, provider)

    assert response["Location"] == STEP2
    page = client.get(STEP2).content.decode()
    assert 'value="Menuça"' in page
    assert 'value="Gérard"' in page
    assert 'value="gerard.menuca@example.fr"' in page
    assert sirene.siret in page
    assert "Aucun mot de passe ne vous sera envoyé" in page


def test_the_space_is_created_without_temporary_password(
    client, provider, sirene, smtp_server, deliver_outbox
):
    sign_in(client, provider)
    client.get(STEP2)

    response = client.post(STEP2, step2_data())

    assert response["Location"] == DONE
    account = Account.objects.get(email="gerard.menuca@example.fr")
    assert not account.has_usable_password()
    assert not account.must_change_password
    assert account.temporary_password_expires_at is None
    identity = ProConnectIdentity.objects.get()
    assert (identity.account, identity.linked_by) == (account, "registration")
    registration = RegistrationRequest.objects.get()
    assert registration.outcome == RegistrationRequest.Outcome.NEW_ACCOUNT
    assert Habilitation.objects.get(account=account).status == Habilitation.Status.PENDING
    deliver_outbox()
    subjects = [message["Subject"] for message in smtp_server.to(account.email)]
    assert len(subjects) == 1
    assert "Identifiant" in subjects[0]
    assert AuditEvent.objects.filter(action="proconnect.linked", account=account).exists()


def test_the_habilitation_rules_are_unchanged(client, provider, sirene):
    sign_in(client, provider)
    client.get(STEP2)
    client.post(STEP2, step2_data())
    client.post("/deconnexion/", {})

    response = sign_in(client, provider)

    # Pending habilitation: the guide's message, as with the password.
    assert response["Location"] == "/connexion/"
    page = client.get("/connexion/").content.decode()
    assert "Votre demande d&#x27;habilitation est en cours de traitement" in page


def test_another_email_typed_links_nothing(client, provider, sirene):
    """The identity is linked only to an account created with the email ProConnect vouches for."""
    sign_in(client, provider)
    client.get(STEP2)

    client.post(
        STEP2,
        step2_data(email="autre@example.fr", email_confirm="autre@example.fr"),
    )

    account = Account.objects.get(email="autre@example.fr")
    assert account.has_usable_password()  # the guide's temporary password, as usual
    assert ProConnectIdentity.objects.count() == 0


def test_an_existing_account_goes_to_the_proof_page_not_registration(client, provider, sirene):
    Account.objects.create(login="gerard.menuca", email="gerard.menuca@example.fr")

    response = sign_in(client, provider)

    assert response["Location"] == LINK


def test_no_siret_claim_goes_to_the_proof_page(client, provider):
    response = sign_in(client, provider)

    assert response["Location"] == LINK


def test_an_attacker_with_only_a_siret_gets_no_space_and_no_link(client, provider, sirene):
    """A ProConnect identity claiming the SIRET of an establishment that already has a space."""
    from tests.habilitations.factories import make_establishment

    make_establishment(siret=sirene.siret)
    provider.user = {**provider.user, "email": "attaquant@example.fr"}

    response = sign_in(client, provider)
    assert response["Location"] == STEP2
    landing = client.get(STEP2)

    assert landing.status_code == 302  # step 2 checks the SIRET again: the space exists
    assert ProConnectIdentity.objects.count() == 0
    assert not Account.objects.filter(email="attaquant@example.fr").exists()
