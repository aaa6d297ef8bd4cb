"""After success: step 1 forgotten, no second space by reloading or posting again."""

import html

import pytest

from apart.establishments.models import Establishment
from apart.establishments.services.spaces import EstablishmentDetails
from apart.registration import journey as session_state
from apart.registration.services import (
    PersonDetails,
    SpaceAlreadyExists,
    register_space,
)
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import CAPTCHA, DONE, STEP1, STEP2, register, submit_step1

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


def test_success_forgets_step_1(client):
    register(client, make_sirene().siret)

    assert session_state.STEP1_KEY not in client.session


def test_posting_step_2_again_creates_nothing(client):
    register(client, make_sirene().siret)

    again = client.post(STEP2, {**establishment(), **person(), **CAPTCHA})

    assert again["Location"] == STEP1
    assert Establishment.objects.count() == 1


def test_the_outcome_page_is_shown_once(client):
    register(client, make_sirene().siret)

    assert client.get(DONE).status_code == 200
    assert client.get(DONE)["Location"] == "/"


def test_the_same_siret_again_is_refused_at_step_1(client):
    sirene = make_sirene()
    register(client, sirene.siret)

    response = submit_step1(client, sirene.siret)

    assert "Un espace existe déjà pour cet établissement" in html.unescape(
        response.content.decode()
    )


def test_a_space_created_between_the_steps_is_refused_at_step_2(client):
    sirene = make_sirene()
    submit_step1(client, sirene.siret)
    other = type(client)()
    register(other, sirene.siret, {**establishment(), **person(9)})

    response = client.post(STEP2, {**establishment(), **person(), **CAPTCHA})

    assert response["Location"] == STEP1
    page = html.unescape(client.get(STEP1).content.decode())
    assert "Un espace existe déjà pour cet établissement" in page
    assert Establishment.objects.count() == 1


def test_register_space_refuses_a_siret_with_a_space():
    sirene = make_sirene()
    details = EstablishmentDetails(
        denomination="X",
        street_number="",
        street_number_extension="",
        street_name="RUE",
        street_type="",
        address_complement="",
        postal_code="75002",
        city="PARIS",
        email="a@b.fr",
        phone="+33142685300",
        fax="",
    )
    someone = PersonDetails(
        last_name="Dupont",
        first_name="Jean",
        phone="+33612345678",
        email="jean@dupont.fr",
        secret_question="Q",
        secret_answer="R",
    )
    register_space(siret=sirene.siret, establishment=details, person=someone)

    with pytest.raises(SpaceAlreadyExists) as refused:
        register_space(
            siret=sirene.siret,
            establishment=details,
            person=PersonDetails(**{**someone.__dict__, "email": "other@dupont.fr"}),
        )
    assert "Jean" not in refused.value.message
