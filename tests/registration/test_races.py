"""Concurrent registrations on PostgreSQL (real threads, real transactions)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.establishments.services.spaces import EstablishmentDetails
from apart.habilitations.models import Habilitation
from apart.notifications.models import OutboundEmail
from apart.registration.models import SiretClaim
from apart.registration.services import PersonDetails, SpaceAlreadyExists, register_space
from tests.habilitations.factories import ensure_applications
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DETAILS = EstablishmentDetails(
    denomination="CLEAN DESK",
    street_number="12",
    street_number_extension="",
    street_name="DE LA PAIX",
    street_type="Rue",
    address_complement="",
    postal_code="75002",
    city="PARIS",
    email="contact@clean-desk.fr",
    phone="+33142685300",
    fax="",
)


def someone(n: int, *, first_name: str = "Jean", last_name: str = "Dupont") -> PersonDetails:
    return PersonDetails(
        last_name=last_name,
        first_name=first_name,
        phone="+33612345678",
        email=f"person{n}@example.fr",
        secret_question="Q ?",
        secret_answer="R",
    )


def race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released together; each result or raised exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_registrations_of_one_siret_one_wins_the_other_is_told():
    ensure_applications()
    siret = make_sirene().siret

    results = race(
        [
            lambda n=n: register_space(siret=siret, establishment=DETAILS, person=someone(n))
            for n in range(4)
        ]
    )

    refused = [r for r in results if isinstance(r, SpaceAlreadyExists)]
    assert len(refused) == 3, results
    assert Establishment.objects.filter(siret=siret).count() == 1
    # The losers' transactions left nothing behind: one account, one request, two emails.
    assert Account.objects.count() == 1
    assert Habilitation.objects.count() == 1
    assert OutboundEmail.objects.count() == 2


def test_registrations_of_one_name_get_distinct_logins():
    ensure_applications()
    sirets = [make_sirene().siret for _ in range(8)]

    results = race(
        [
            lambda n=n, siret=siret: register_space(
                siret=siret, establishment=DETAILS, person=someone(n)
            )
            for n, siret in enumerate(sirets)
        ]
    )

    assert all(not isinstance(r, Exception) for r in results), results
    logins = sorted(Account.objects.values_list("login", flat=True))
    assert logins == sorted(["jean.dupont"] + [f"jean.dupont{i}" for i in range(1, 8)])


def test_one_new_person_registering_two_sirets_at_once_gets_one_account_and_one_request():
    ensure_applications()
    sirets = [make_sirene().siret for _ in range(2)]

    results = race(
        [
            lambda siret=siret: register_space(
                siret=siret, establishment=DETAILS, person=someone(0)
            )
            for siret in sirets
        ]
    )

    assert all(not isinstance(r, Exception) for r in results), results
    assert Account.objects.count() == 1
    [habilitation] = Habilitation.objects.all()
    # The second SIRET of a new person needs the proof too (docs/registration.md, case 2): it
    # waits as a claim, confirmed from the mailbox, attached to nothing yet.
    assert habilitation.establishments.count() == 1
    assert SiretClaim.objects.count() == 1
    assert OutboundEmail.objects.count() == 3  # login, password, the claim's link
