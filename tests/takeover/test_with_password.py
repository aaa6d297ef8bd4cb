"""The holder, who knows the password, makes the same changes after « Mot de passe actuel »; the
previous address is told, and its « Ce n'était pas moi ? » link freezes the account."""

import re

import pytest

from apart.accounts.models import Account, AccountSession
from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment, EstablishmentFiche, Invitation
from tests.accounts.factories import STRONG_PASSWORD
from tests.conftest import CsrfClient
from tests.space.factories import VALID_BIC, confirm_password, log_in
from tests.takeover.conftest import VICTIM_EMAIL

pytestmark = pytest.mark.django_db

NEW_IBAN = "FR1420041010050500013M02606"
NEW_EMAIL = "ilmen.nouvelle@exemple.fr"


def _not_me_path(smtp_server, to):
    message = [m for m in smtp_server.to(to) if "Modification de votre compte" in m["Subject"]][-1]
    text = smtp_server.text_of(message)
    return message, re.search(r"https?://[^/\s]+(/ce-n-etait-pas-moi/[^/\s]+/)", text)[1]


def _confirmed(scene):
    confirm_password(scene.victim_browser)
    return scene.victim_browser


def test_the_password_page_sends_back_to_my_account_with_the_forms(scene):
    browser = scene.victim_browser
    browser.get("/espace/mon-compte/")
    refused = browser.post("/espace/mon-compte/telephone/", {"phone": "0611223344"})
    browser.get(refused.url)

    response = browser.post(
        "/confirmer-mon-identite/", {"password": STRONG_PASSWORD, "next": "/espace/mon-compte/"}
    )

    assert response.url == "/espace/mon-compte/"
    assert 'action="/espace/mon-compte/telephone/"' in browser.get(response.url).content.decode()


def test_a_phone_change_emails_the_address_with_the_link(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)

    browser.post("/espace/mon-compte/telephone/", {"phone": "06 11 22 33 44"})
    deliver_outbox()

    assert Account.objects.get(pk=scene.victim.pk).phone == "+33611223344"
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert "la modification de votre numéro de téléphone" in smtp_server.text_of(message)


def test_a_secret_question_change_emails_the_address(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)

    browser.post(
        "/espace/mon-compte/question-secrete/",
        {"secret_question": "Ma première voiture ?", "secret_answer": "Une 4L"},
    )
    deliver_outbox()

    assert Account.objects.get(pk=scene.victim.pk).secret_question == "Ma première voiture ?"
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert "question secrète" in smtp_server.text_of(message)


def test_an_email_change_tells_the_old_address(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)
    browser.post("/espace/mon-compte/courriel/", {"email": NEW_EMAIL, "email_confirm": NEW_EMAIL})
    deliver_outbox()
    [confirmation] = smtp_server.to(NEW_EMAIL)
    link = re.search(
        r"https?://[^/\s]+(/espace/confirmer-courriel/[^/\s]+/)", smtp_server.text_of(confirmation)
    )[1]
    browser.get(link)
    browser.post(link, {})
    deliver_outbox()

    assert Account.objects.get(pk=scene.victim.pk).email == NEW_EMAIL
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert NEW_EMAIL in smtp_server.text_of(message)
    assert not [m for m in smtp_server.to(NEW_EMAIL) if "Modification" in m["Subject"]]


def test_a_bank_details_change_emails_its_author(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)

    browser.post(
        f"/espace/etablissements/{scene.establishment.pk}/coordonnees-bancaires/",
        {"iban": NEW_IBAN, "bic": VALID_BIC, "account_holder": "CLEAN DESK SARL"},
    )
    deliver_outbox()

    assert EstablishmentFiche.objects.get(establishment=scene.establishment).iban == NEW_IBAN
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert "coordonnées bancaires" in smtp_server.text_of(message)


def test_an_invitation_emails_its_author(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)
    path = f"/espace/etablissements/{scene.establishment.pk}/collegues/"
    browser.get(path)

    browser.post(path, {"email": "nouvelle.collegue@exemple.fr"})
    deliver_outbox()

    assert Invitation.objects.filter(email="nouvelle.collegue@exemple.fr").exists()
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert "nouvelle.collegue@exemple.fr" in smtp_server.text_of(message)


def test_a_main_contact_handover_emails_its_author(scene, smtp_server, deliver_outbox):
    browser = _confirmed(scene)
    base = f"/espace/etablissements/{scene.establishment.pk}/collegues/"
    browser.get(base)

    browser.post(f"{base}{scene.colleague.pk}/contact-principal/", {})
    deliver_outbox()

    establishment = Establishment.objects.get(pk=scene.establishment.pk)
    assert establishment.main_contact_id == scene.colleague.pk
    message, _ = _not_me_path(smtp_server, VICTIM_EMAIL)
    assert "contact principal" in smtp_server.text_of(message)


def test_the_old_address_freezes_the_account_taken_over(scene, smtp_server, deliver_outbox):
    """The attacker had the password too: he changes the email. The real holder, at the old
    address, uses « Ce n'était pas moi ? »: every session ends and nobody can log in."""
    attacker = scene.attacker
    confirm_password(attacker)
    attacker.post("/espace/mon-compte/courriel/", {"email": NEW_EMAIL, "email_confirm": NEW_EMAIL})
    deliver_outbox()
    [confirmation] = smtp_server.to(NEW_EMAIL)
    link = re.search(
        r"https?://[^/\s]+(/espace/confirmer-courriel/[^/\s]+/)", smtp_server.text_of(confirmation)
    )[1]
    attacker.get(link)
    attacker.post(link, {})
    deliver_outbox()
    _, not_me = _not_me_path(smtp_server, VICTIM_EMAIL)
    holder = CsrfClient()  # the holder's mailbox, anonymous

    holder.get(not_me)
    response = holder.post(not_me, {})

    assert "Le compte est bloqué" in response.content.decode()
    assert attacker.get("/espace/mon-compte/").status_code == 302
    assert not AccountSession.objects.filter(account=scene.victim).exists()
    login_again = CsrfClient()
    login_again.get("/connexion/")
    refused = login_again.post(
        "/connexion/", {"login": scene.victim.login, "password": STRONG_PASSWORD}
    )
    assert "Votre compte est bloqué par mesure de sécurité" in refused.content.decode()
    assert AuditEvent.objects.filter(action="account.frozen", account=scene.victim).exists()


def test_a_password_change_ends_the_other_sessions(scene):
    other = CsrfClient()
    log_in(other, scene.victim)
    browser = scene.victim_browser
    browser.get("/changement-mot-de-passe/")

    browser.post(
        "/changement-mot-de-passe/",
        {
            "old_password": STRONG_PASSWORD,
            "new_password": "Encore-1-autre!",
            "confirmation": "Encore-1-autre!",
        },
    )

    assert other.get("/espace/mon-compte/").status_code == 302
    assert scene.attacker.get("/espace/mon-compte/").status_code == 302
