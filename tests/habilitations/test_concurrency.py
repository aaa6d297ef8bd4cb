"""Two agents deciding the same request at once: one decision wins, the other is told."""

import threading

import pytest
from django.db import connection

from apart.core.errors import UserError
from apart.habilitations.models import Habilitation
from apart.habilitations.services import (
    approve_habilitation,
    reject_habilitation,
)
from apart.notifications.models import OutboundEmail
from tests.habilitations.factories import make_agent, make_habilitation

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(*decisions):
    barrier = threading.Barrier(len(decisions))
    outcomes: list[str] = []

    def run(decide):
        try:
            barrier.wait()
            decide()
            outcomes.append("decided")
        except UserError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(decide,)) for decide in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_approve_against_reject_one_wins_the_other_is_told():
    habilitation = make_habilitation()
    alice, bob = make_agent(), make_agent()

    outcomes = _race(
        lambda: approve_habilitation(habilitation=habilitation, actor=alice),
        lambda: reject_habilitation(habilitation=habilitation, actor=bob, reason="Doublon"),
    )

    assert outcomes == ["Cette demande a déjà été traitée par un autre agent.", "decided"]
    habilitation.refresh_from_db()
    assert habilitation.status in {Habilitation.Status.ACTIVE, Habilitation.Status.REJECTED}
    assert habilitation.events.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_many_agents_approving_at_once_approve_once():
    habilitation = make_habilitation()
    agents = [make_agent() for _ in range(4)]

    outcomes = _race(
        *[
            (lambda agent=agent: approve_habilitation(habilitation=habilitation, actor=agent))
            for agent in agents
        ]
    )

    assert outcomes.count("decided") == 1
    assert outcomes.count("Cette demande a déjà été traitée par un autre agent.") == 3
    assert habilitation.events.count() == 1
    assert OutboundEmail.objects.count() == 1
