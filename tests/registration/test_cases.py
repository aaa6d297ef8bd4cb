"""Guide, chapter 1, cases 2 and 3 and a pending request, with proof: "Créer mon espace" typed
with an existing account's email attaches nothing until that account's holder follows the link
emailed to the account's own address; the SIRET then becomes a request an agent decides."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from apart.habilitations.models import AttachmentRequest, Habilitation
from apart.registration.messages import REQUEST_SENT
from apart.registration.models import RegistrationRequest, SiretClaim
from tests.accounts.factories import make_active_account
from tests.habilitations.factories import ensure_applications, make_habilitation
from tests.registration.factories import establishment, make_sirene, person
from tests.registration.journey import DONE, register
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

CASE_2 = (
    "Pour information : l'utilisateur FoPlus ilmen a déjà une habilitation sur l'extranet "
    "Activité Partielle, pour un autre établissement que le vôtre. Cette même habilitation va "
    "être rattachée à ce compte établissement."
)
ILMEN = "ilmen@foplus.fr"


@pytest.fixture(autouse=True)
def _applications():
    ensure_applications()


@pytest.fixture
def ilmen():
    return make_active_account(first_name="ilmen", last_name="FoPlus", email=ILMEN)


def shown(client) -> str:
    return html.unescape(client.get(DONE).content.decode())


def register_as(client, email: str, siret: str | None = None):
    typed = {**establishment(), **person(email=email, email_confirm=email)}
    return register(client, siret or make_sirene().siret, typed)


def claim_link(smtp_server, deliver_outbox, to: str = ILMEN) -> str:
    deliver_outbox()
    [message] = smtp_server.to(to)
    return re.search(
        r"https?://[^/\s]+(/creer-mon-espace/confirmer/[^/\s]+/)", smtp_server.text_of(message)
    )[1]


def confirm(client, link: str):
    client.get(link)
    return client.post(link, {"action": "confirmer"})


def test_case_2_attaches_nothing_before_the_proof(client, ilmen):
    active = make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    before = set(active.establishments.all())

    response = register_as(client, ILMEN)

    assert response["Location"] == DONE
    page = shown(client)
    assert REQUEST_SENT in page
    assert "FoPlus" not in page and "ilmen" not in page
    assert not Establishment.objects.exclude(pk__in=[e.pk for e in before]).exists()
    assert set(active.establishments.all()) == before
    assert not AttachmentRequest.objects.exists()
    assert not RegistrationRequest.objects.exists()
    assert SiretClaim.objects.get().status == SiretClaim.Status.PENDING


def test_the_accounts_own_address_receives_the_link(client, ilmen, smtp_server, deliver_outbox):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    register_as(client, "Ilmen@FoPlus.fr")  # matched without case or accents

    link = claim_link(smtp_server, deliver_outbox)
    assert [to for _, recipients in smtp_server.envelopes for to in recipients] == [ILMEN]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in SiretClaim.objects.get().token_hash  # stored hashed


def test_the_link_needs_the_holder_logged_in_then_shows_the_guides_message(
    client, ilmen, smtp_server, deliver_outbox
):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)

    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=")

    log_in(client, ilmen)
    page = html.unescape(client.get(link).content.decode())
    assert CASE_2 in page


def test_confirming_makes_a_request_that_grants_nothing(client, ilmen, smtp_server, deliver_outbox):
    active = make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)
    log_in(client, ilmen)

    response = confirm(client, link)

    assert response["Location"] == DONE
    space = Establishment.objects.get(siret=SiretClaim.objects.get().siret)
    assert space.main_contact == ilmen
    attachment = AttachmentRequest.objects.get()
    assert (attachment.habilitation, attachment.establishment) == (active, space)
    assert attachment.status == AttachmentRequest.Status.PENDING
    assert space not in active.establishments.all()
    assert client.get(f"/espace/etablissements/{space.pk}/").status_code == 404
    assert RegistrationRequest.objects.get().outcome == "attached_to_active"
    assert SiretClaim.objects.get().status == SiretClaim.Status.CONFIRMED


def test_the_link_works_once(client, ilmen, smtp_server, deliver_outbox):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)
    log_in(client, ilmen)
    confirm(client, link)

    response = client.post(link, {"action": "confirmer"})

    assert response.status_code == 404
    assert AttachmentRequest.objects.count() == 1


def test_an_expired_link_attaches_nothing(client, ilmen, smtp_server, deliver_outbox):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)
    SiretClaim.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    log_in(client, ilmen)

    response = confirm(client, link)

    assert response.status_code == 404
    assert not AttachmentRequest.objects.exists()


def test_the_holder_can_cancel(client, ilmen, smtp_server, deliver_outbox):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)
    log_in(client, ilmen)
    client.get(link)

    client.post(link, {"action": "annuler"})

    assert SiretClaim.objects.get().status == SiretClaim.Status.CANCELLED
    assert not AttachmentRequest.objects.exists()
    assert client.get(link).status_code == 404


def test_an_unconfirmed_claim_does_not_reserve_the_siret(
    client, ilmen, smtp_server, deliver_outbox
):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)
    siret = make_sirene().siret
    register_as(client, ILMEN, siret)  # someone types ilmen's email for this SIRET
    link = claim_link(smtp_server, deliver_outbox)

    # The real owner, a new person, registers the same SIRET: case 1, nothing blocks them.
    client.logout()
    register_as(client, "vrai.gerant@example.fr", siret)
    owner = Account.objects.get(email="vrai.gerant@example.fr")
    assert Establishment.objects.get(siret=siret).main_contact == owner

    # The stale claim then attaches nothing.
    log_in(client, ilmen)
    response = confirm(client, link)
    assert response.status_code == 409
    assert "Un espace existe déjà" in html.unescape(response.content.decode())
    assert SiretClaim.objects.get().status == SiretClaim.Status.SUPERSEDED
    assert not AttachmentRequest.objects.exists()


def test_case_3_the_link_alone_proves_the_mailbox_and_makes_a_pending_request(
    client, ilmen, smtp_server, deliver_outbox
):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE, application_code="SYLAE")
    register_as(client, ILMEN)
    link = claim_link(smtp_server, deliver_outbox)

    page = html.unescape(client.get(link).content.decode())  # cannot log in to APART: no login
    assert "FoPlus" not in page
    confirm(client, link)

    assert REQUEST_SENT in shown(client)
    apart = Habilitation.objects.get(account=ilmen, application__code="APART")
    assert apart.status == Habilitation.Status.PENDING
    assert list(apart.establishments.values_list("siret", flat=True)) == [
        SiretClaim.objects.get().siret
    ]
    assert RegistrationRequest.objects.get().outcome == "known_account"


def test_case_3_after_an_expired_apart_habilitation(client, ilmen, smtp_server, deliver_outbox):
    make_habilitation(account=ilmen, status=Habilitation.Status.EXPIRED)
    register_as(client, ILMEN)
    confirm(client, claim_link(smtp_server, deliver_outbox))

    statuses = set(Habilitation.objects.filter(account=ilmen).values_list("status", flat=True))
    assert statuses == {"expired", "pending"}


def test_a_pending_request_is_completed_with_the_confirmed_establishment(
    client, ilmen, smtp_server, deliver_outbox
):
    pending = make_habilitation(account=ilmen, status=Habilitation.Status.PENDING)
    register_as(client, ILMEN)
    confirm(client, claim_link(smtp_server, deliver_outbox))

    assert pending.establishments.count() == 2
    assert Habilitation.objects.filter(account=ilmen).count() == 1
    assert RegistrationRequest.objects.get().outcome == "attached_to_pending"


def test_the_second_establishment_of_a_new_person_needs_the_proof_too(
    client, smtp_server, deliver_outbox
):
    register(client, make_sirene().siret)
    client.get(DONE)

    register(client, make_sirene().siret)

    assert REQUEST_SENT in shown(client)
    [habilitation] = Habilitation.objects.all()
    assert habilitation.establishments.count() == 1
    deliver_outbox()
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert len(subjects) == 3  # login, password, then the claim's link (no new credentials)
    assert "Confirmez la demande" in subjects[-1]


def test_case_2_does_not_change_the_existing_account(client, ilmen):
    make_habilitation(account=ilmen, status=Habilitation.Status.ACTIVE)

    register_as(client, ILMEN)

    ilmen.refresh_from_db()
    assert (ilmen.first_name, ilmen.last_name, ilmen.email) == ("ilmen", "FoPlus", ILMEN)
