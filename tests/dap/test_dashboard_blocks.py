"""The dashboard's DAP / decision / DI blocks: live counts and the entries to the pages."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dap.factories import (
    employer_with_complete_fiche,
    make_accepted,
    make_draft,
    make_submitted,
)
from tests.space.factories import complete_fiche, log_in, make_establishment

pytestmark = pytest.mark.django_db


def _dashboard(client):
    return html.unescape(client.get("/espace/").content.decode())


def _count(page, heading_id):
    block = page.split(f'id="{heading_id}"', 1)[1]
    return block.split('<span class="fr-h3">', 1)[1].split("</span>", 1)[0]


def test_the_blocks_count_the_persons_dap_decisions_and_claims(client):
    account, establishment = employer_with_complete_fiche()
    make_draft(account, establishment)
    make_submitted(account, establishment)
    make_accepted(account, establishment)
    other, theirs = employer_with_complete_fiche()
    make_draft(other, theirs)
    log_in(client, account)

    page = _dashboard(client)

    assert _count(page, "mes-dap") == "3"
    assert _count(page, "mes-decisions") == "1"
    assert _count(page, "mes-di") == "0"


def test_the_entries_lead_to_the_lists(client):
    account, _ = employer_with_complete_fiche()
    log_in(client, account)

    page = _dashboard(client)

    assert 'href="/espace/demandes-autorisation/">Voir toutes mes DAP</a>' in page
    assert 'href="/espace/demandes-indemnisation/">Voir toutes mes DI</a>' in page
    assert 'href="/espace/decisions/"' in page


def test_di_creation_waits_for_an_authorisation(client):
    account, establishment = employer_with_complete_fiche()
    log_in(client, account)
    assert 'disabled aria-describedby="di-create-reason"' in _dashboard(client)

    make_accepted(account, establishment)

    page = _dashboard(client)
    assert '<a class="fr-btn" href="/espace/demandes-indemnisation/nouvelle/">' in page


def test_the_counts_cost_one_query_whatever_the_number_of_establishments(client):
    account, establishment = employer_with_complete_fiche()
    make_accepted(account, establishment)
    log_in(client, account)
    client.get("/espace/")
    with CaptureQueriesContext(connection) as few:
        client.get("/espace/")
    habilitation = account.habilitations.get()
    for _ in range(30):
        extra = make_establishment(main_contact=account)
        complete_fiche(extra)
        habilitation.establishments.add(extra)
        make_submitted(account, extra)

    with CaptureQueriesContext(connection) as many:
        page = _dashboard(client)

    assert len(many) == len(few)
    assert _count(page, "mes-dap") == "31"
