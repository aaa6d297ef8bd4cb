"""The employer's DAP pages: draft, changes, transmission, lists and who sees what."""

import datetime
import html

import pytest

from apart.audit.models import AuditEvent
from apart.dap.models import AuthorisationRequest
from apart.habilitations.dates import paris_today
from tests.dap.factories import (
    employer_with_complete_fiche,
    form_data,
    make_draft,
    make_submitted,
)
from tests.habilitations.factories import make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db


def _text(response):
    return html.unescape(response.content.decode())


def test_a_draft_is_changed_then_transmitted(client):
    account, establishment = employer_with_complete_fiche()
    dap = make_draft(account, establishment)
    log_in(client, account)
    client.get(f"/espace/demandes-autorisation/{dap.pk}/")

    changed = client.post(
        f"/espace/demandes-autorisation/{dap.pk}/modifier/",
        form_data(establishment, employees="9"),
    )
    submitted = client.post(f"/espace/demandes-autorisation/{dap.pk}/transmettre/", {})

    dap.refresh_from_db()
    assert changed.status_code == submitted.status_code == 302
    assert dap.employees == 9
    assert dap.status == AuthorisationRequest.Status.SUBMITTED
    assert dap.submitted_at is not None
    assert "a été transmise" in _text(client.get(submitted["Location"]))
    assert AuditEvent.objects.filter(action="dap.draft_updated").count() == 1
    assert AuditEvent.objects.filter(action="dap.submitted").count() == 1


def test_a_transmitted_dap_can_no_longer_be_changed(client):
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    log_in(client, account)
    client.get(f"/espace/demandes-autorisation/{dap.pk}/")

    response = client.post(
        f"/espace/demandes-autorisation/{dap.pk}/modifier/",
        form_data(establishment, employees="9"),
    )

    assert response.status_code == 302
    assert "Cette demande a déjà été transmise : elle ne peut plus être modifiée." in _text(
        client.get(response["Location"])
    )
    dap.refresh_from_db()
    assert dap.employees == 8


def test_a_draft_left_too_long_is_not_transmitted_and_says_why(client):
    account, establishment = employer_with_complete_fiche()
    start = paris_today() + datetime.timedelta(days=1)
    dap = make_draft(account, establishment, start_date=start)
    AuthorisationRequest.objects.filter(pk=dap.pk).update(
        start_date=paris_today(), end_date=paris_today() + datetime.timedelta(days=30)
    )
    log_in(client, account)
    client.get(f"/espace/demandes-autorisation/{dap.pk}/")

    response = client.post(f"/espace/demandes-autorisation/{dap.pk}/transmettre/", {})

    assert response.status_code == 400
    page = _text(response)
    assert "La demande n'a pas été transmise" in page
    assert "doit être déposée avant la mise en activité partielle" in page
    dap.refresh_from_db()
    assert dap.status == AuthorisationRequest.Status.DRAFT


def test_voir_toutes_mes_dap_lists_the_persons_dap_only(client):
    account, establishment = employer_with_complete_fiche()
    mine = make_draft(account, establishment)
    stranger, other = employer_with_complete_fiche()
    theirs = make_draft(stranger, other)
    log_in(client, account)

    page = _text(client.get("/espace/demandes-autorisation/"))

    assert "Mes Demandes d'Autorisation Préalable" in page
    assert mine.reference in page
    assert theirs.reference not in page


def test_another_employers_dap_is_a_404(client):
    account, _ = employer_with_complete_fiche()
    stranger, other = employer_with_complete_fiche()
    theirs = make_draft(stranger, other)
    log_in(client, account)

    assert client.get(f"/espace/demandes-autorisation/{theirs.pk}/").status_code == 404
    client.get("/espace/demandes-autorisation/")
    response = client.post(f"/espace/demandes-autorisation/{theirs.pk}/transmettre/", {})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AuthorisationRequest.Status.DRAFT


def test_the_create_page_proposes_the_current_establishment(client):
    account, establishment = employer_with_complete_fiche()
    log_in(client, account)

    page = _text(client.get("/espace/demandes-autorisation/nouvelle/"))

    assert "Demande d'autorisation préalable" in page
    assert f'<option value="{establishment.pk}"' in page
    for reason in (
        "1° La conjoncture économique",
        "2° Des difficultés d'approvisionnement en matières premières ou en énergie",
        "3° Un sinistre ou des intempéries de caractère exceptionnel",
        "4° La transformation, restructuration ou modernisation de l'entreprise",
        "5° Toute autre circonstance de caractère exceptionnel",
    ):
        assert reason in page


def test_agents_have_no_employer_dap_pages(client):
    client.force_login(make_agent())

    assert client.get("/espace/demandes-autorisation/").status_code == 403


def test_the_pages_require_login(client):
    response = client.get("/espace/demandes-autorisation/")

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
