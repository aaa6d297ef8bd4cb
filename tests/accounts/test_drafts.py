"""A form sent after the session or the reauthentication window ended is not lost: the same
account finds it again on the page after logging in (apart.accounts.drafts); nobody else does,
and what must never be kept is not."""

import time
from html import unescape

import pytest

from apart.establishments.models import Establishment, EstablishmentFiche
from tests.accounts.factories import STRONG_PASSWORD
from tests.accounts.helpers import shown_messages, submit_login
from tests.mfa.factories import enrol_totp, unused_code
from tests.mfa.helpers import log_in_with_code, submit_code
from tests.space.factories import employer_with_establishments

pytestmark = pytest.mark.django_db

TYPED = {
    "contact_last_name": "Martig",
    "contact_first_name": "Jeanne",
    "contact_role": "Gérante depuis peu",
    "contact_email": "jeanne.martig@clean-desk.fr",
    "contact_phone": "01 02 03 04 05",
    "workforce": "12",
    "naf_code": "81.21Z",
    "idcc": "3043",
}
RESTORED = (
    "Nous avons repris ce que vous aviez saisi avant l'interruption. Vérifiez-le, puis "
    "envoyez le formulaire de nouveau."
)


@pytest.fixture
def employer(client):
    account = employer_with_establishments(1)
    submit_login(client, account.login, STRONG_PASSWORD)
    return account


def _fiche_url(account) -> str:
    establishment = Establishment.objects.get(main_contact=account)
    return f"/espace/etablissements/{establishment.pk}/"


def _expire(client) -> None:
    session = client.session
    session["apart_last_seen"] = time.time() - 31 * 60
    session.save()


def _send_late(client, url, data):
    client.get(url)
    _expire(client)
    return client.post(url, data)


def test_a_form_sent_after_the_timeout_is_kept_and_the_login_comes_back_to_its_page(
    client, employer
):
    url = _fiche_url(employer)

    response = _send_late(client, url, TYPED)

    assert response.status_code == 302
    assert response.url == f"/connexion/?next={url}"
    assert shown_messages(response) == [
        "Votre session a expiré. Veuillez vous reconnecter.",
        "Ce que vous aviez saisi n'est pas perdu : reconnectez-vous pour le retrouver sur la page.",
    ]
    login = submit_login(client, employer.login, STRONG_PASSWORD, next=url)
    assert login.url == url
    page = client.get(url)
    html = unescape(page.content.decode())
    assert 'value="Gérante depuis peu"' in html
    assert 'value="jeanne.martig@clean-desk.fr"' in html
    assert RESTORED in html
    # Shown again, not submitted: nothing of it is saved until the person sends it.
    assert not EstablishmentFiche.objects.filter(contact_role="Gérante depuis peu").exists()


def test_the_draft_is_used_once(client, employer):
    url = _fiche_url(employer)
    _send_late(client, url, TYPED)
    submit_login(client, employer.login, STRONG_PASSWORD, next=url)
    client.get(url)

    assert "Gérante depuis peu" not in client.get(url).content.decode()


def test_another_account_on_the_same_browser_never_sees_it_and_it_is_dropped(client, employer):
    url = _fiche_url(employer)
    _send_late(client, url, TYPED)
    colleague = employer_with_establishments(1)
    other_url = _fiche_url(colleague)

    submit_login(client, colleague.login, STRONG_PASSWORD, next=other_url)
    seen = unescape(client.get(other_url).content.decode())

    assert "Gérante depuis peu" not in seen
    assert RESTORED not in seen
    assert "apart_form_draft" not in client.session
    client.post("/deconnexion/", {})
    submit_login(client, employer.login, STRONG_PASSWORD, next=url)
    assert "Gérante depuis peu" not in client.get(url).content.decode()


def test_the_draft_lives_in_the_new_session_only(client, employer):
    url = _fiche_url(employer)
    client.get(url)
    old_key = client.session.session_key
    _expire(client)

    client.post(url, TYPED)

    assert client.session.session_key != old_key
    assert client.session["apart_form_draft"]["account"] == employer.pk
    assert "_auth_user_id" not in client.session


def test_secrets_bank_details_tokens_and_confirmations_are_never_kept(client, employer):
    url = _fiche_url(employer)

    _send_late(
        client,
        url,
        {
            **TYPED,
            "password": "Secret-123456",
            "old_password": "Secret-123456",
            "new_password": "Secret-654321",
            "confirmation": "Secret-654321",
            "secret_answer": "Médor",
            "answer": "Médor",
            "code": "123456",
            "credential": "{}",
            "iban": "FR7630006000011234567890189",
            "bank-iban": "FR7630006000011234567890189",
            "bic": "AGRIFRPP882",
            "nir": "180017512345678",
            "captcha_1": "PASSED",
            "confirmed": "on",
            "accept-accept_terms": "on",
        },
    )

    kept = client.session["apart_form_draft"]["fields"]
    assert set(kept) == set(TYPED)
    assert "FR763000" not in str(kept) and "Secret-" not in str(kept) and "Médor" not in str(kept)


def test_a_forged_submission_keeps_nothing(client, employer):
    url = _fiche_url(employer)
    client.get(url)
    _expire(client)

    client.post(url, {**TYPED, "csrfmiddlewaretoken": "forged"})

    assert "apart_form_draft" not in client.session


def test_an_old_draft_is_dropped(client, employer, settings):
    settings.APART_DRAFT_SECONDS = 60
    url = _fiche_url(employer)
    _send_late(client, url, TYPED)
    session = client.session
    session["apart_form_draft"]["at"] -= 61
    session.save()

    submit_login(client, employer.login, STRONG_PASSWORD, next=url)

    assert "Gérante depuis peu" not in client.get(url).content.decode()
    assert "apart_form_draft" not in client.session


def test_oversized_values_are_not_kept(client, employer):
    url = _fiche_url(employer)

    _send_late(client, url, {**TYPED, "contact_role": "x" * 20_000})

    kept = client.session["apart_form_draft"]["fields"]
    assert "contact_role" not in kept
    assert kept["contact_last_name"] == ["Martig"]


def test_a_form_sent_after_the_reauthentication_window_is_found_again(client, employer):
    url = _fiche_url(employer)
    client.get(url)
    bank = f"{url}coordonnees-bancaires/"

    response = client.post(
        bank,
        {
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "AGRIFRPP882",
            "account_holder": "CLEAN DESK SARL",
        },
    )

    assert response.status_code == 302
    assert response.url.startswith("/confirmer-mon-identite/")
    client.get(response.url)
    back = client.post(
        "/confirmer-mon-identite/", {"password": STRONG_PASSWORD, "next": f"{url}#banque"}
    )
    assert back.url == f"{url}#banque"
    html = client.get(url).content.decode()
    assert 'value="CLEAN DESK SARL"' in html
    assert "3456 7890" not in html and "AGRIFRPP882" not in html


def test_a_form_behind_the_password_step_waits_for_it(client, employer):
    """The phone form of « Mon compte » shows only after « Mot de passe actuel »: the draft of a
    late submission to its POST-only address waits until the form is really shown."""
    client.get("/espace/mon-compte/")
    _expire(client)

    response = client.post(
        "/espace/mon-compte/telephone/",
        {"phone": "06 12 34 56 78"},
        HTTP_REFERER="http://testserver/espace/mon-compte/",
    )

    assert response.url == "/connexion/?next=/espace/mon-compte/"
    submit_login(client, employer.login, STRONG_PASSWORD, next="/espace/mon-compte/")
    assert "06 12 34 56 78" not in client.get("/espace/mon-compte/").content.decode()
    assert "apart_form_draft" in client.session
    client.get("/confirmer-mon-identite/?next=/espace/mon-compte/")
    client.post(
        "/confirmer-mon-identite/", {"password": STRONG_PASSWORD, "next": "/espace/mon-compte/"}
    )
    html = unescape(client.get("/espace/mon-compte/").content.decode())
    assert 'value="06 12 34 56 78"' in html
    assert RESTORED in html
    assert "apart_form_draft" not in client.session


def test_the_draft_survives_the_logins_second_step(client):
    account = employer_with_establishments(1)
    enrol_totp(account)
    log_in_with_code(client, account.login, unused_code(account))
    url = _fiche_url(account)
    _send_late(client, url, TYPED)

    submit_login(client, account.login, STRONG_PASSWORD, next=url)
    assert "_auth_user_id" not in client.session  # waiting for the factor
    submit_code(client, unused_code(account), next=url)

    assert 'value="Gérante depuis peu"' in unescape(client.get(url).content.decode())
