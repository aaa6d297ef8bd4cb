"""The dashboard reads its establishments and counts in one statement: the same membership and
counts as the selectors that define them (active habilitation only, pending grants nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apart.dap.selectors import space_counts
from apart.establishments.selectors import dashboard_establishments
from apart.habilitations.models import Habilitation
from apart.space.selectors import dashboard_summary
from tests.dap.factories import employer_with_complete_fiche, make_accepted, make_draft
from tests.space.factories import (
    employer_with_establishments,
    habilitate,
    log_in,
    make_employer,
    make_establishment,
)

pytestmark = pytest.mark.django_db


def _same_as_the_selectors(account):
    with CaptureQueriesContext(connection) as queries:
        summary = dashboard_summary(account)
    reference = dashboard_establishments(account)

    assert len(queries) == 1
    assert summary.total == reference.total
    assert [(e.pk, e.siret, e.denomination, e.city) for e in summary.shown] == [
        (e.pk, e.siret, e.denomination, e.city) for e in reference.shown
    ]
    assert [e.fiche_complete for e in summary.shown] == [e.fiche_complete for e in reference.shown]
    assert summary.counts == space_counts(account)
    return summary


def test_one_statement_gives_the_membership_and_counts_of_the_selectors():
    account, establishment = employer_with_complete_fiche()
    others = [make_establishment(main_contact=account) for _ in range(6)]
    Habilitation.objects.get(account=account).establishments.add(*others)
    make_accepted(account, establishment)
    make_draft(account, establishment)
    stranger, theirs = employer_with_complete_fiche()
    make_accepted(stranger, theirs)

    summary = _same_as_the_selectors(account)

    assert summary.total == 7
    assert len(summary.shown) == 5
    assert (summary.counts.requests, summary.counts.decisions) == (2, 1)
    assert summary.counts.accepted_decisions == 1
    assert theirs.pk not in {e.pk for e in summary.shown}


def test_a_pending_habilitation_shows_and_counts_nothing():
    account, establishment = employer_with_complete_fiche()
    make_accepted(account, establishment)
    waiting = make_employer()
    habilitate(waiting, establishment, make_establishment(main_contact=waiting), status="pending")

    summary = _same_as_the_selectors(waiting)

    assert summary.total == 0
    assert summary.shown == []
    assert summary.counts.requests == summary.counts.decisions == 0


def test_the_dashboard_page_takes_few_queries_with_200_establishments(client):
    account = employer_with_establishments(200)
    log_in(client, account)
    client.get("/espace/")  # warm the session

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/espace/")

    assert response.status_code == 200
    dashboard = [q for q in queries if "WITH members AS" in q["sql"]]
    assert len(dashboard) == 1
    assert len(queries) <= 4  # the session and account loads included (8 allowed before)
