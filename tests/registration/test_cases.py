"""Guide, chapter 1, cases 2 and 3, and a request still pending: decided by the person's email."""

import html

import pytest

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.registration.messages import REQUEST_SENT
from apart.registration.models import RegistrationRequest
from tests.habilitations.factories import ensure_applications, make_account, make_habilitation
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import DONE, register

pytestmark = pytest.mark.django_db

CASE_2 = (
    "Pour information : l'utilisateur FoPlus ilmen a déjà une habilitation sur l'extranet "
    "Activité Partielle, pour un autre établissement que le vôtre. Cette même habilitation va "
    "être rattachée à ce compte établissement."
)


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


@pytest.fixture
def ilmen():
    return make_account(
        login="ilmen.foplus", first_name="ilmen", last_name="FoPlus", email="ilmen@foplus.fr"
    )


def shown(client) -> str:
    return html.unescape(client.get(DONE).content.decode())


def register_as(client, email: str):
    typed = {**establishment(), **person(email=email, email_confirm=email)}
    return register(client, make_sirene().siret, typed)


def test_case_2_attaches_the_establishment_to_the_active_habilitation(client, ilmen):
    active = make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    response = register_as(client, "ilmen@foplus.fr")

    assert response["Location"] == DONE
    assert CASE_2 in shown(client)
    space = Establishment.objects.get(siret=RegistrationRequest.objects.get().siret)
    assert space.main_contact == ilmen
    assert set(active.establishments.all()) >= {space}
    assert Habilitation.objects.filter(account=ilmen).count() == 1
    assert RegistrationRequest.objects.get().outcome == "attached_to_active"


def test_case_2_sends_no_email(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    register_as(client, "ilmen@foplus.fr")

    assert not OutboundEmail.objects.exists()
    assert Account.objects.count() == 1


def test_the_email_is_matched_without_case_or_accents(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    register_as(client, "Ilmen@FoPlus.fr")

    assert CASE_2 in shown(client)


def test_case_3_a_sibling_extranet_account_gets_a_pending_apart_request(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE, application_code="SYLAE")

    register_as(client, "ilmen@foplus.fr")

    assert REQUEST_SENT in shown(client)
    apart = Habilitation.objects.get(account=ilmen, application__code="APART")
    assert apart.status == Habilitation.Status.PENDING
    assert list(apart.establishments.values_list("siret", flat=True)) == [
        RegistrationRequest.objects.get().siret
    ]
    assert RegistrationRequest.objects.get().outcome == "known_account"


def test_case_3_sends_no_credentials(client, ilmen):
    register_as(client, "ilmen@foplus.fr")

    assert not OutboundEmail.objects.exists()
    assert Account.objects.get().login == "ilmen.foplus"


def test_case_3_after_an_expired_apart_habilitation(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.EXPIRED)

    register_as(client, "ilmen@foplus.fr")

    assert REQUEST_SENT in shown(client)
    statuses = set(Habilitation.objects.filter(account=ilmen).values_list("status", flat=True))
    assert statuses == {"expired", "pending"}


def test_a_pending_request_is_completed_with_the_new_establishment(client, ilmen):
    pending = make_habilitation(account=ilmen, status=Habilitation.Status.PENDING)

    register_as(client, "ilmen@foplus.fr")

    assert REQUEST_SENT in shown(client)
    assert pending.establishments.count() == 2
    assert Habilitation.objects.filter(account=ilmen).count() == 1
    assert not OutboundEmail.objects.exists()
    assert RegistrationRequest.objects.get().outcome == "attached_to_pending"


def test_the_second_establishment_of_a_new_person_joins_the_first_request(client):
    register(client, make_sirene().siret)
    client.get(DONE)

    register(client, make_sirene().siret)

    assert REQUEST_SENT in shown(client)
    [habilitation] = Habilitation.objects.all()
    assert habilitation.establishments.count() == 2
    assert OutboundEmail.objects.count() == 2  # the credentials of the first registration only


def test_case_2_does_not_change_the_existing_account(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    register_as(client, "ilmen@foplus.fr")

    ilmen.refresh_from_db()
    assert (ilmen.first_name, ilmen.last_name, ilmen.phone) == ("ilmen", "FoPlus", "0102030405")
