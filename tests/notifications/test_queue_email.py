import pytest
from django.db import transaction
from django.utils import translation

from apart.accounts.models import Account
from apart.notifications.models import OutboundEmail
from apart.notifications.selectors import emails_for_account
from tests.notifications.helpers import queue_check

pytestmark = pytest.mark.django_db


def test_queued_email_is_rendered_from_its_three_templates():
    email = queue_check(context={"note": "Votre demande est enregistrée."})

    assert email.status == OutboundEmail.Status.QUEUED
    assert email.subject == (
        "Courriel de vérification de l'Agence de Services et de Paiement (ASP)"
    )
    assert "Votre demande est enregistrée." in email.body_text
    assert "<p>Votre demande est enregistrée.</p>" in email.body_html
    assert email.template == "notifications/emails/check"


def test_every_email_ends_with_the_guides_closing_lines():
    email = queue_check()

    for body in (email.body_text, email.body_html):
        assert "Cet e-mail a été généré automatiquement. Merci de ne pas y répondre." in body
        assert (
            "Ce message peut contenir des INFORMATIONS CONFIDENTIELLES destinées à l'usage "
            "exclusif du destinataire. Si vous le recevez par erreur, merci de bien vouloir nous "
            "en avertir immédiatement par téléphone ou messagerie, de le détruire et de n'en "
            "divulguer le contenu à personne."
        ) in body
        assert (
            "This message may contain CONFIDENTIAL INFORMATION intended only for use by the "
            "addressee. If you have received it by mistake, thank you for notifying us "
            "immediately by telephone or by e-mail, and please, delete it and do not deliver it "
            "to anyone else."
        ) in body


def test_html_body_is_french_and_escapes_what_it_is_given():
    email = queue_check(context={"note": "<script>alert(1)</script>"})

    assert '<html lang="fr">' in email.body_html
    assert '<p lang="en">This message' in email.body_html
    assert "<script>" not in email.body_html
    assert "&lt;script&gt;" in email.body_html


def test_text_body_is_not_html_escaped():
    email = queue_check(context={"note": "L'entreprise Dupont & Fils"})

    assert "L'entreprise Dupont & Fils" in email.body_text


def test_emails_are_french_whatever_the_language_of_the_request():
    with translation.override("en"):
        email = queue_check()

    assert email.subject.startswith("Courriel de vérification")


def test_each_email_gets_its_own_message_id_at_queue_time():
    first, second = queue_check(), queue_check()

    assert first.message_id.startswith("<") and first.message_id.endswith("@asp-public.fr>")
    assert first.message_id != second.message_id


def test_a_rolled_back_transaction_leaves_nothing_to_send():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_check()
        raise RuntimeError("the change causing the email failed")

    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("address", ["", "pas-une-adresse", "a@b.fr\nBcc: x@y.fr"])
def test_an_invalid_recipient_is_refused_at_queue_time(address):
    with pytest.raises(ValueError, match="invalid recipient"):
        queue_check(to=address)


def test_emails_for_account_lists_that_accounts_emails_newest_first():
    account = Account.objects.create(login="jean.dupont", email="jean.dupont@example.com")
    other = Account.objects.create(login="marie.curie", email="marie.curie@example.com")
    first = queue_check(account=account)
    second = queue_check(account=account)
    queue_check(to="marie.curie@example.com", account=other)

    assert list(emails_for_account(account)) == [second, first]
