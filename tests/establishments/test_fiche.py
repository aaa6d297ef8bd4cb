import html
import io

import pytest
from django.core.management import call_command

from apart.audit.models import AuditEvent
from apart.directory.demo.samples import DEMO_OPEN_SIRET
from apart.establishments.models import EstablishmentFiche
from apart.habilitations.models import Habilitation
from tests.space.factories import (
    VALID_BIC,
    confirm_password,
    employer_with_establishments,
    log_in,
    make_employer,
    make_establishment,
)

pytestmark = pytest.mark.django_db

FICHE = {
    "contact_last_name": "Martig",
    "contact_first_name": "Jean-Christophe",
    "contact_role": "Gérant",
    "contact_email": "jc.martig@clean-desk.fr",
    "contact_phone": "01 02 03 04 05",
    "mail_same_address": "on",
    "mail_recipient": "",
    "mail_street": "",
    "mail_complement": "",
    "mail_postal_code": "",
    "mail_city": "",
    "workforce": "12",
    "naf_code": "8121Z",
    "idcc": "3043",
}
BANK = {
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "bic": VALID_BIC,
    "account_holder": "CLEAN DESK",
}


@pytest.fixture
def owner(client):
    account = employer_with_establishments(1)
    log_in(client, account)
    confirm_password(client)  # the bank details ask for it (recent authentication)
    return account


@pytest.fixture
def establishment(owner):
    return Habilitation.objects.get(account=owner).establishments.get()


def _url(establishment, suffix=""):
    return f"/espace/etablissements/{establishment.pk}/{suffix}"


def test_the_fiche_says_what_is_missing(client, establishment):
    page = html.unescape(client.get(_url(establishment)).content.decode())

    assert "Votre fiche établissement est incomplète !" in page
    assert "<li>IBAN</li>" in page
    assert "<li>Convention collective (IDCC)</li>" in page


def test_saving_the_fiche_normalises_values_and_audits_old_and_new(client, owner, establishment):
    client.get(_url(establishment))

    response = client.post(_url(establishment), FICHE)

    assert response.status_code == 302
    fiche = EstablishmentFiche.objects.get(establishment=establishment)
    assert (fiche.naf_code, fiche.idcc, fiche.workforce) == ("81.21Z", "3043", 12)
    assert fiche.contact_phone == "+33102030405"
    event = AuditEvent.objects.get(action="establishment.fiche_updated")
    assert event.actor == owner
    assert event.new_values["naf_code"] == "81.21Z"
    assert event.old_values["naf_code"] == ""


def test_a_bad_idcc_is_shown_next_to_the_field_and_what_was_typed_stays(client, establishment):
    client.get(_url(establishment))

    response = client.post(_url(establishment), {**FICHE, "idcc": "12A4"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "L&#x27;IDCC comporte 4 chiffres" in page
    assert 'value="Jean-Christophe"' in page
    assert 'aria-describedby="id_idcc-desc-error"' in page
    assert not EstablishmentFiche.objects.filter(establishment=establishment).exists()


def test_nul_bytes_and_overlong_values_get_a_message_not_a_crash(client, establishment):
    client.get(_url(establishment))

    response = client.post(
        _url(establishment), {**FICHE, "contact_role": "Gé\x00rant", "mail_city": "x" * 5000}
    )

    assert response.status_code == 400


def test_the_bank_details_are_shown_masked_once_saved(client, establishment):
    client.get(_url(establishment))

    client.post(_url(establishment, "coordonnees-bancaires/"), BANK)

    page = client.get(_url(establishment)).content.decode()
    assert "FR76 **** **** **** **** **** 189" in page
    assert "30006000011234567890" not in page


def test_a_bad_iban_is_refused_next_to_the_field(client, establishment):
    client.get(_url(establishment))

    response = client.post(
        _url(establishment, "coordonnees-bancaires/"),
        {**BANK, "iban": "FR76 3000 6000 0112 3456 7890 188"},
    )

    assert response.status_code == 400
    assert "sa clé de contrôle ne correspond pas" in response.content.decode()
    assert not EstablishmentFiche.objects.filter(establishment=establishment).exists()


def test_changing_the_bank_details_is_audited_masked_and_told_by_email(
    client, owner, establishment, smtp_server, deliver_outbox
):
    client.get(_url(establishment))
    client.post(_url(establishment), FICHE)

    client.post(_url(establishment, "coordonnees-bancaires/"), BANK)
    deliver_outbox()

    event = AuditEvent.objects.get(action="establishment.bank_details_changed")
    assert event.new_values["iban"] == "FR76 **** **** **** **** **** 189"
    everything_audited = str(list(AuditEvent.objects.values_list("old_values", "new_values")))
    assert "FR7630006000011234567890189" not in everything_audited
    recipients = sorted(message["To"] for message in smtp_server.messages)
    assert recipients == sorted([owner.email, establishment.email, "jc.martig@clean-desk.fr"])
    text = smtp_server.text_of(smtp_server.messages[0])
    assert "FR76 **** **** **** **** **** 189" in text
    assert "FR7630006000011234567890189" not in text


def test_re_entering_the_bank_details_replaces_them(client, establishment):
    client.get(_url(establishment))
    client.post(_url(establishment, "coordonnees-bancaires/"), BANK)

    client.post(
        _url(establishment, "coordonnees-bancaires/"),
        {**BANK, "iban": "FR14 2004 1010 0505 0001 3M02 606", "bic": "PSSTFRPPPAR"},
    )

    fiche = EstablishmentFiche.objects.get(establishment=establishment)
    assert (fiche.iban, fiche.bic) == ("FR1420041010050500013M02606", "PSSTFRPPPAR")


def test_the_fiche_turns_complete_once_everything_is_given(client, establishment):
    client.get(_url(establishment))
    client.post(_url(establishment), FICHE)
    client.post(_url(establishment, "coordonnees-bancaires/"), BANK)

    page = client.get(_url(establishment)).content.decode()

    assert "Votre fiche établissement est complète." in page
    assert (
        "Votre fiche établissement est incomplète !" not in client.get("/espace/").content.decode()
    )


def test_another_employers_establishment_is_a_404(client, owner):
    stranger = make_establishment(main_contact=make_employer())

    assert client.get(_url(stranger)).status_code == 404
    assert client.get(_url(stranger, "collegues/")).status_code == 404
    client.get("/espace/")
    assert client.post(_url(stranger, "coordonnees-bancaires/"), BANK).status_code == 404
    assert not EstablishmentFiche.objects.filter(establishment=stranger).exists()


def test_refreshing_from_sirene_updates_the_identity_and_naf_code(client, owner):
    call_command("load_demo_data", stdout=io.StringIO())
    establishment = make_establishment(
        main_contact=owner, siret=DEMO_OPEN_SIRET, denomination="ANCIEN NOM"
    )
    Habilitation.objects.get(account=owner).establishments.add(establishment)
    client.get(_url(establishment))

    response = client.post(_url(establishment, "actualiser/"), {})

    assert response.status_code == 302

    establishment.refresh_from_db()
    assert establishment.denomination != "ANCIEN NOM"
    assert establishment.postal_code == "75011"
    assert EstablishmentFiche.objects.get(establishment=establishment).naf_code == "10.71C"
    event = AuditEvent.objects.get(action="establishment.sirene_refreshed")
    assert event.old_values["denomination"] == "ANCIEN NOM"
