"""Requests to add an establishment to an active habilitation: decided by an instructeur like a
first request (queue, decision email); until approved the establishment grants nothing."""

import html

import pytest
from django.urls import reverse

from apart.audit.models import AuditEvent
from apart.habilitations.attachments import request_attachment
from apart.habilitations.models import AttachmentRequest, Habilitation
from tests.conftest import CsrfClient
from tests.decisions import confirmed
from tests.habilitations.factories import make_agent
from tests.space.factories import (
    employer_with_establishments,
    log_in,
    make_establishment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer():
    return employer_with_establishments(1)


@pytest.fixture
def attachment(employer):
    habilitation = Habilitation.objects.get(account=employer)
    return request_attachment(
        habilitation=habilitation, establishment=make_establishment(main_contact=employer)
    )


def _agent_client():
    agent = make_agent()
    client = CsrfClient()
    client.force_login(agent)
    return agent, client


def test_the_queue_lists_pending_attachments(attachment):
    _, agent = _agent_client()

    page = agent.get(reverse("backoffice:queue")).content.decode()

    assert "Demandes de rattachement d'établissement" in page
    assert attachment.establishment.siret in page


def test_an_approved_attachment_opens_the_establishment_and_emails_the_holder(
    client, employer, attachment, smtp_server, deliver_outbox
):
    log_in(client, employer)
    fiche = f"/espace/etablissements/{attachment.establishment.pk}/"
    assert client.get(fiche).status_code == 404
    _, agent = _agent_client()
    agent.get(reverse("backoffice:request", args=[attachment.habilitation_id]))

    response = agent.post(
        reverse("backoffice:approve_attachment", args=[attachment.pk]),
        confirmed(prefix=f"rattachement-{attachment.pk}"),
    )

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.status == AttachmentRequest.Status.APPROVED
    assert attachment.establishment in attachment.habilitation.establishments.all()
    assert client.get(fiche).status_code == 200
    deliver_outbox()
    [email] = smtp_server.to(employer.email)
    assert "a été acceptée" in smtp_server.text_of(email)
    assert AuditEvent.objects.filter(action="habilitation.establishment_attached").exists()


def test_a_rejected_attachment_stays_closed_and_the_reason_is_emailed(
    client, employer, attachment, smtp_server, deliver_outbox
):
    _, agent = _agent_client()
    agent.get(reverse("backoffice:request", args=[attachment.habilitation_id]))
    prefix = f"rattachement-{attachment.pk}"

    agent.post(
        reverse("backoffice:reject_attachment", args=[attachment.pk]),
        confirmed(
            {f"{prefix}-reason": "Le Siret ne correspond pas à votre entreprise."}, prefix=prefix
        ),
    )

    attachment.refresh_from_db()
    assert attachment.status == AttachmentRequest.Status.REJECTED
    assert attachment.establishment not in attachment.habilitation.establishments.all()
    log_in(client, employer)
    assert client.get(f"/espace/etablissements/{attachment.establishment.pk}/").status_code == 404
    deliver_outbox()
    [email] = smtp_server.to(employer.email)
    assert "Le Siret ne correspond pas à votre entreprise." in smtp_server.text_of(email)


def test_an_attachment_is_not_approved_without_the_box_ticked(attachment):
    _, agent = _agent_client()
    agent.get(reverse("backoffice:request", args=[attachment.habilitation_id]))
    prefix = f"rattachement-{attachment.pk}"

    response = agent.post(
        reverse("backoffice:approve_attachment", args=[attachment.pk]),
        {f"{prefix}-comment": "Kbis vu"},
    )

    page = html.unescape(response.content.decode())
    assert "Cochez « Je confirme cette décision »" in page
    assert f'id="id_{prefix}-confirmed-approuver"' in page
    assert "Kbis vu</textarea>" in page
    attachment.refresh_from_db()
    assert attachment.status == AttachmentRequest.Status.PENDING
    assert not AuditEvent.objects.filter(action="habilitation.establishment_attached").exists()


def test_a_rejection_needs_a_reason(attachment):
    _, agent = _agent_client()
    agent.get(reverse("backoffice:request", args=[attachment.habilitation_id]))

    response = agent.post(
        reverse("backoffice:reject_attachment", args=[attachment.pk]),
        confirmed(prefix=f"rattachement-{attachment.pk}"),
    )

    assert response.status_code == 200
    attachment.refresh_from_db()
    assert attachment.status == AttachmentRequest.Status.PENDING


def test_an_employer_cannot_approve_his_own_attachment(client, employer, attachment):
    log_in(client, employer)
    client.get("/espace/")

    response = client.post(reverse("backoffice:approve_attachment", args=[attachment.pk]), {})

    assert response.status_code == 403
    attachment.refresh_from_db()
    assert attachment.status == AttachmentRequest.Status.PENDING
