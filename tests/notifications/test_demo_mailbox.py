import pytest
from django.core.management import call_command
from django.urls import reverse

from apart.notifications.models import OutboundEmail
from tests.notifications.helpers import queue_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mailbox(settings):
    settings.APART_DEMO_MAILBOX = True
    settings.EMAIL_HOST = ""


def test_in_development_the_worker_delivers_to_the_demo_mailbox(demo_mailbox):
    email = queue_check(context={"note": "Mot de passe : [jmé=pck-]"}, sensitive=True)

    call_command("outbox_worker", "--once")

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert "[jmé=pck-]" in email.body_text  # kept on purpose: a development aid


def test_demo_mailbox_lists_the_emails(demo_mailbox, client):
    queue_check(to="jean.dupont@example.com")
    call_command("outbox_worker", "--once")

    response = client.get("/boite-de-demonstration/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Boîte de réception de démonstration" in html
    assert "jean.dupont@example.com" in html
    assert "Courriel de vérification de l&#x27;Agence de Services et de Paiement (ASP)" in html


def test_demo_mailbox_says_confidential_contents_stay_readable(demo_mailbox, client):
    html = client.get(reverse("notifications:demo_mailbox")).content.decode()

    assert "restent lisibles" in html
    assert "Aucun courriel pour le moment." in html


def test_demo_email_shows_the_text_body_and_links_to_the_html(demo_mailbox, client):
    email = queue_check(context={"note": "Voici votre identifiant de connexion: jean.dupont"})

    response = client.get(reverse("notifications:demo_email", args=[email.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Voici votre identifiant de connexion: jean.dupont" in html
    assert "noreply@asp-public.fr" in html
    assert reverse("notifications:demo_email_html", args=[email.pk]) in html


def test_raw_html_is_served_with_a_policy_that_allows_nothing(demo_mailbox, client):
    email = queue_check()

    response = client.get(reverse("notifications:demo_email_html", args=[email.pk]))

    assert response.status_code == 200
    assert response.content.decode() == email.body_html
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy


def test_header_links_to_the_demo_mailbox_in_development(demo_mailbox, client):
    html = client.get(reverse("core:home")).content.decode()

    assert 'href="/boite-de-demonstration/"' in html


@pytest.mark.parametrize("name", ["demo_email", "demo_email_html"])
def test_unknown_email_is_not_found(demo_mailbox, client, name):
    assert client.get(reverse(f"notifications:{name}", args=[999999])).status_code == 404


def test_without_the_setting_the_demo_mailbox_does_not_exist(client):
    email = queue_check()

    for url in (
        reverse("notifications:demo_mailbox"),
        reverse("notifications:demo_email", args=[email.pk]),
        reverse("notifications:demo_email_html", args=[email.pk]),
    ):
        assert client.get(url).status_code == 404
    assert 'href="/boite-de-demonstration/"' not in client.get("/").content.decode()
