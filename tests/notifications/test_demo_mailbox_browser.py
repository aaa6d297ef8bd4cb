import pytest
from django.core.management import call_command

from tests.browser.axe import assert_accessible
from tests.notifications.helpers import queue_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_reads_an_email_in_the_demo_mailbox(settings, page, live_server):
    settings.APART_DEMO_MAILBOX = True
    queue_check(to="jean.dupont@example.com", context={"note": "Voici votre identifiant."})
    call_command("outbox_worker", "--once")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Boîte de réception de démonstration").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Boîte de réception de démonstration"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Courriel de vérification").click()
    assert "Voici votre identifiant." in page.locator("pre").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Voir la version HTML du courriel").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Voici votre identifiant.").is_visible()
