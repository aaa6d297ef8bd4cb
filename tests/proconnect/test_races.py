"""Concurrent links of one identity: the database constraints decide, one link wins."""

import threading

import pytest
from django.db import connection

from apart.proconnect.models import ProConnectIdentity
from apart.proconnect.services import LinkRefused, link_identity
from apart.proconnect.session import PendingIdentity
from tests.habilitations.factories import make_account

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def identity(sub: str = "sub-course") -> PendingIdentity:
    return PendingIdentity(
        issuer="https://proconnect.example",
        subject=sub,
        email="course@example.fr",
        given_name="",
        usual_name="",
        siret="",
        phone="",
        acr="eidas1",
    )


def race(*links):
    barrier = threading.Barrier(len(links))
    outcomes: list[str] = []

    def run(link):
        try:
            barrier.wait()
            link()
            outcomes.append("linked")
        except LinkRefused as refused:
            outcomes.append(refused.reason)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_one_identity_linked_at_once_to_four_accounts_opens_one():
    accounts = [make_account() for _ in range(4)]

    outcomes = race(
        *[
            (
                lambda account=account: link_identity(
                    account=account, identity=identity(), proof="password"
                )
            )
            for account in accounts
        ]
    )

    assert outcomes == ["linked"] + ["sub_already_linked"] * 3
    assert ProConnectIdentity.objects.count() == 1


def test_one_account_linked_at_once_to_two_identities_keeps_one():
    account = make_account()

    outcomes = race(
        lambda: link_identity(account=account, identity=identity("a"), proof="password"),
        lambda: link_identity(account=account, identity=identity("b"), proof="password"),
    )

    assert outcomes == ["account_already_linked", "linked"]
    assert ProConnectIdentity.objects.filter(account=account).count() == 1
