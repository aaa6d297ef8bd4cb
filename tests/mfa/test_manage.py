"""« Double authentification »: enrolment of an authenticator app, recovery codes shown once and
stored hashed, removal, renewal; each change emailed to the holder and audited."""

import html
import re

import pytest
from django.utils import timezone

from apart.audit.models import AuditEvent
from apart.mfa import totp
from apart.mfa.models import RecoveryCode, TotpDevice
from apart.mfa.views.manage import TOTP_SECRET
from tests.accounts.factories import STRONG_PASSWORD, make_active_account
from tests.mfa.factories import enrol_totp
from tests.mfa.helpers import confirm_identity

pytestmark = pytest.mark.django_db

PAGE = "/double-authentification/"
ADD_APP = "/double-authentification/application/"
RENEW = "/double-authentification/codes-de-secours/"
CODE = re.compile(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>")


@pytest.fixture
def account(client):
    account = make_active_account()
    client.force_login(account)
    confirm_identity(client, account)
    return account


def _enrol_app(client, name="Téléphone pro"):
    client.get(ADD_APP)
    secret = client.session[TOTP_SECRET]
    code = totp.code_at(secret, timezone.now())
    return client.post(ADD_APP, {"name": name, "code": code})


def test_the_enrolment_page_shows_a_qr_code_and_the_key(client, account):
    page = client.get(ADD_APP).content.decode()

    assert "<svg" in page and "QR code à scanner avec votre application" in page
    assert totp.grouped(client.session[TOTP_SECRET]) in page


def test_an_app_is_enrolled_with_a_right_code_and_ten_recovery_codes_are_shown_once(
    client, account
):
    response = _enrol_app(client)

    assert response.status_code == 200
    codes = CODE.findall(response.content.decode())
    assert len(set(codes)) == 10
    device = TotpDevice.objects.get(account=account)
    assert device.name == "Téléphone pro"
    assert RecoveryCode.objects.filter(account=account, used_at__isnull=True).count() == 10
    assert not CODE.findall(client.get(PAGE).content.decode())  # never shown again


def test_recovery_codes_are_stored_hashed(client, account):
    codes = CODE.findall(_enrol_app(client).content.decode())

    stored = list(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert all(value.startswith("argon2") for value in stored)
    assert not any(code.replace("-", "") in value for code in codes for value in stored)


def test_a_wrong_code_enrols_nothing_and_keeps_the_name(client, account):
    client.get(ADD_APP)
    secret = client.session[TOTP_SECRET]
    wrong = "000000" if totp.matching_step(secret, "000000") is None else "111111"

    response = client.post(ADD_APP, {"name": "Mon téléphone", "code": wrong})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Code incorrect." in page
    assert 'value="Mon téléphone"' in page
    assert not TotpDevice.objects.exists()
    assert client.session[TOTP_SECRET] == secret  # the QR code scanned stays valid


def test_the_enrolment_is_emailed_and_audited(client, account, smtp_server, deliver_outbox):
    _enrol_app(client)
    deliver_outbox()

    [email] = smtp_server.messages
    assert email["To"] == account.email
    assert "Double authentification : application d'authentification ajoutée" in email["Subject"]
    assert "« Téléphone pro » a été ajoutée" in smtp_server.text_of(email)
    event = AuditEvent.objects.get(action="mfa.totp_added")
    assert event.actor == account and event.new_values["name"] == "Téléphone pro"


def test_a_second_app_does_not_replace_the_recovery_codes(client, account):
    _enrol_app(client, name="Premier")
    before = set(RecoveryCode.objects.values_list("code_hash", flat=True))

    response = _enrol_app(client, name="Second")

    assert response.status_code == 302
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == before
    assert TotpDevice.objects.filter(account=account).count() == 2


def test_the_page_lists_factors_with_their_last_use(client, account):
    enrol_totp(account, name="Tablette")

    page = client.get(PAGE).content.decode()

    assert "Tablette" in page and "jamais" in page


def test_removing_a_factor_is_emailed_and_audited(client, account, smtp_server, deliver_outbox):
    device = enrol_totp(account, name="Ancien téléphone")

    client.get(PAGE)
    client.post(f"/double-authentification/application/{device.pk}/supprimer/", {})

    assert not TotpDevice.objects.filter(pk=device.pk).exists()
    deliver_outbox()
    [email] = smtp_server.messages
    assert "« Ancien téléphone » a été supprimée" in smtp_server.text_of(email)
    assert AuditEvent.objects.get(action="mfa.factor_removed").old_values == {
        "kind": "totp",
        "name": "Ancien téléphone",
    }


def test_someone_else_s_factor_cannot_be_removed(client, account):
    other = make_active_account()
    device = enrol_totp(other)
    client.get(PAGE)

    response = client.post(f"/double-authentification/application/{device.pk}/supprimer/", {})

    assert response.status_code == 404
    assert TotpDevice.objects.filter(pk=device.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(client, account):
    codes = CODE.findall(_enrol_app(client).content.decode())

    client.get(PAGE)
    response = client.post("/double-authentification/codes-de-secours/", {})

    new_codes = CODE.findall(response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert RecoveryCode.objects.filter(account=account).count() == 10
    assert AuditEvent.objects.filter(action="mfa.recovery_codes_generated").exists()


def test_the_pages_need_a_session(client):
    response = client.get(PAGE)

    assert response.status_code == 302 and response.url.startswith("/connexion/")


def test_adding_a_factor_needs_a_recent_authentication(client):
    account = make_active_account()
    client.force_login(account)

    response = client.get(ADD_APP)

    assert response.status_code == 302
    assert response.url.startswith("/confirmer-mon-identite/?next=")


def test_removing_a_factor_needs_the_factor_too(client):
    """A stolen session and the password are not enough: the factor is asked as well."""
    account = make_active_account()
    device = enrol_totp(account)
    client.force_login(account)
    client.get("/confirmer-mon-identite/")
    response = client.post("/confirmer-mon-identite/", {"password": STRONG_PASSWORD, "next": PAGE})
    assert response.url.startswith("/confirmer-mon-identite/double-authentification/")

    client.get(PAGE)
    response = client.post(f"/double-authentification/application/{device.pk}/supprimer/", {})

    assert response.status_code == 302
    assert response.url.startswith("/confirmer-mon-identite/")
    assert TotpDevice.objects.filter(pk=device.pk).exists()


def test_renewing_codes_without_a_factor_comes_back_to_the_page_with_the_reason(client, account):
    response = client.post(RENEW, {}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Ajoutez d'abord une clé d'accès" in html.unescape(response.content.decode())


def test_a_refusal_goes_back_to_the_page_the_button_was_on(client, account):
    response = client.post(RENEW, {}, headers={"referer": f"http://testserver{PAGE}?x=1"})

    assert response.url == f"http://testserver{PAGE}?x=1"
