import re

import pytest

from apart.accounts.models import Account
from apart.accounts.services import check_secret_answer
from apart.audit.models import AuditEvent
from tests.space.factories import employer_with_establishments, log_in, make_employer

pytestmark = pytest.mark.django_db

NEW_EMAIL = "nouvelle.adresse@exemple.fr"


@pytest.fixture
def account(client):
    account = employer_with_establishments(1)
    log_in(client, account, recent_auth=True)
    client.get("/espace/mon-compte/")
    return account


def test_my_account_shows_the_login_and_the_last_logins(client, account):
    page = client.get("/espace/mon-compte/").content.decode()

    assert account.login in page
    assert "Mes dernières connexions" in page
    assert page.count("127.0.0.1") >= 1
    assert 'href="/changement-mot-de-passe/"' in page


def test_the_phone_is_changed_and_audited(client, account):
    client.post("/espace/mon-compte/telephone/", {"phone": "06 12 34 56 78"})

    assert Account.objects.get(pk=account.pk).phone == "+33612345678"
    event = AuditEvent.objects.get(action="account.phone_changed")
    assert event.new_values == {"phone": "+33612345678"}


def test_a_bad_phone_is_refused_next_to_the_field(client, account):
    response = client.post("/espace/mon-compte/telephone/", {"phone": "12"})

    assert response.status_code == 400
    assert "Veuillez saisir un numéro valide." in response.content.decode()
    assert 'value="12"' in response.content.decode()


def test_a_new_email_is_confirmed_by_a_link_and_the_old_address_is_told(
    client, account, smtp_server, deliver_outbox
):
    old = account.email
    client.post("/espace/mon-compte/courriel/", {"email": NEW_EMAIL, "email_confirm": NEW_EMAIL})
    assert Account.objects.get(pk=account.pk).email == old  # nothing changes before the link
    deliver_outbox()
    [confirmation] = smtp_server.to(NEW_EMAIL)
    path = re.search(
        r"https?://[^/\s]+(/espace/confirmer-courriel/[^/\s]+/)", smtp_server.text_of(confirmation)
    )[1]

    assert NEW_EMAIL in client.get(path).content.decode()
    client.post(path, {})

    assert Account.objects.get(pk=account.pk).email == NEW_EMAIL
    deliver_outbox()
    [notice] = smtp_server.to(old)
    assert NEW_EMAIL in smtp_server.text_of(notice)
    event = AuditEvent.objects.get(action="account.email_changed")
    assert (event.old_values, event.new_values) == ({"email": old}, {"email": NEW_EMAIL})
    # The link works once.
    assert client.get(path).status_code == 400


def test_a_tampered_email_link_is_refused(client, account):
    response = client.get("/espace/confirmer-courriel/abc:def/")

    assert response.status_code == 400


def test_an_address_of_another_account_gets_no_link_and_no_disclosure(
    client, account, smtp_server, deliver_outbox
):
    other = make_employer()

    response = client.post(
        "/espace/mon-compte/courriel/", {"email": other.email, "email_confirm": other.email}
    )

    assert response.status_code == 302  # the same answer as for a free address
    deliver_outbox()
    assert smtp_server.to(other.email) == []


def test_a_secret_question_without_answer_is_refused_keeping_what_was_typed(client, account):
    response = client.post(
        "/espace/mon-compte/question-secrete/",
        {"secret_question": "Mon premier chien ?", "secret_answer": ""},
    )

    assert response.status_code == 400
    assert 'value="Mon premier chien ?"' in response.content.decode()
    assert Account.objects.get(pk=account.pk).secret_question == "cylindrée"


def test_the_secret_question_is_changed_once_the_password_is_confirmed(client, account):
    client.post(
        "/espace/mon-compte/question-secrete/",
        {
            "secret_question": "Mon premier chien ?",
            "secret_answer": "Rex",
        },
    )

    changed = Account.objects.get(pk=account.pk)
    assert changed.secret_question == "Mon premier chien ?"
    assert check_secret_answer(account=changed, answer="rex")
    assert AuditEvent.objects.filter(action="account.secret_question_set").exists()
