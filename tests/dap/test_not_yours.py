"""Another employer's DAP, attachment or decision (its PDF and its HTML version) answers
exactly as one that does not exist: 404, nothing changed, nothing told about its existence."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apart.audit.models import AuditEvent
from apart.dap import services
from apart.dap.models import Attachment, AuthorisationRequest
from tests.dap.factories import employer_with_complete_fiche, make_accepted, make_draft
from tests.dap.pdfs import PDF
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

MISSING = 987654

# (method, URL pattern, kind of id, data posted)
URLS = [
    ("get", "/espace/demandes-autorisation/{}/", "dap", None),
    ("post", "/espace/demandes-autorisation/{}/modifier/", "dap", {"reason": "economique"}),
    ("post", "/espace/demandes-autorisation/{}/transmettre/", "dap", {}),
    ("post", "/espace/demandes-autorisation/{}/pieces-jointes/", "dap", {}),
    ("get", "/espace/pieces-jointes/{}/", "attachment", None),
    ("post", "/espace/pieces-jointes/{}/supprimer/", "attachment", {}),
    ("get", "/espace/decisions/{}/decision.pdf", "decision", None),
    ("get", "/espace/decisions/{}/", "decision", None),  # its accessible version (HTML)
]


def _page(response):
    """The answer without what changes from one response to the next (CSP nonce, CSRF token)."""
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


@pytest.fixture
def theirs():
    stranger, establishment = employer_with_complete_fiche()
    draft = make_draft(stranger, establishment)
    upload = SimpleUploadedFile("cse.pdf", PDF, content_type="application/pdf")
    attachment = services.add_attachment(dap=draft, upload=upload, actor=stranger)
    decision = make_accepted(stranger, establishment)
    return {"dap": draft.pk, "attachment": attachment.pk, "decision": decision.pk}


@pytest.mark.parametrize(("method", "url", "kind", "data"), URLS)
def test_another_employers_id_answers_like_an_unknown_one(client, theirs, method, url, kind, data):
    account, _ = employer_with_complete_fiche()
    log_in(client, account)
    client.get("/espace/demandes-autorisation/")  # the CSRF cookie, as a browser would have it
    events = AuditEvent.objects.count()

    other = getattr(client, method)(url.format(theirs[kind]), data)
    unknown = getattr(client, method)(url.format(MISSING), data)

    assert other.status_code == unknown.status_code == 404
    assert _page(other) == _page(unknown)
    assert AuditEvent.objects.count() == events
    assert AuthorisationRequest.objects.get(pk=theirs["dap"]).status == "brouillon"
    assert Attachment.objects.filter(pk=theirs["attachment"]).exists()
