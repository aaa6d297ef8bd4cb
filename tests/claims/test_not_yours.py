"""Another employer's DI or employee line answers exactly as one that does not exist: 404,
nothing changed, nothing told about its existence."""

import datetime
import re

import pytest
import time_machine

from apart.audit.models import AuditEvent
from apart.claims import services
from apart.claims.models import Claim, ClaimLine
from tests.claims.factories import APRIL, NIR_2, granted_decision, line
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

MISSING = 987654

# (method, URL pattern, kind of id, data posted)
URLS = [
    ("get", "/espace/demandes-indemnisation/{}/", "claim", None),
    ("post", "/espace/demandes-indemnisation/{}/salaries/", "claim", {"nir": NIR_2}),
    ("post", "/espace/demandes-indemnisation/{}/transmettre/", "claim", {}),
    ("post", "/espace/demandes-indemnisation/salaries/{}/supprimer/", "line", {}),
]


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(APRIL):
        yield


def _page(response):
    """The answer without what changes from one response to the next (CSP nonce, CSRF token)."""
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


@pytest.fixture
def theirs():
    stranger, _, decision = granted_decision()
    claim = services.create_claim(
        decision=decision, month=datetime.date(2026, 2, 1), actor=stranger
    )
    saved = line(claim, stranger)
    return {"claim": claim.pk, "line": saved.pk}


@pytest.mark.parametrize(("method", "url", "kind", "data"), URLS)
def test_another_employers_id_answers_like_an_unknown_one(client, theirs, method, url, kind, data):
    account, _, _ = granted_decision()
    log_in(client, account)
    client.get("/espace/demandes-indemnisation/")  # the CSRF cookie, as a browser would have it
    events = AuditEvent.objects.count()

    other = getattr(client, method)(url.format(theirs[kind]), data)
    unknown = getattr(client, method)(url.format(MISSING), data)

    assert other.status_code == unknown.status_code == 404
    assert _page(other) == _page(unknown)
    assert AuditEvent.objects.count() == events
    assert Claim.objects.get(pk=theirs["claim"]).status == Claim.Status.DRAFT
    assert ClaimLine.objects.filter(claim_id=theirs["claim"]).count() == 1
