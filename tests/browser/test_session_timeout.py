"""« Votre session va expirer » (RGAA 13.1, WCAG 2.2.1) in a real browser, with the keyboard
only: the warning opens before the idle timeout with the focus on « Prolonger ma session »,
Enter extends the session, the focus goes back to the field being typed in, and the session
outlives its first deadline."""

import re
import time

import pytest
from playwright.sync_api import expect

from apart.audit.models import AuditEvent
from apart.establishments.models import Establishment
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import assert_accessible
from tests.space.factories import employer_with_establishments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE = 25  # seconds; the warning comes 20 s before the end (RGAA 13.1's minimum)


def _on_the_fiche_with_a_short_session(page, live_server, settings):
    """An employer logged in by the keyboard, on their establishment's fiche, with an idle
    timeout of IDLE seconds and the warning 20 s before it."""
    settings.SESSION_IDLE_TIMEOUT = IDLE
    settings.APART_SESSION_WARNING_SECONDS = 20
    account = employer_with_establishments(1)
    fiche = f"{live_server.url}/espace/etablissements/"
    fiche += f"{Establishment.objects.get(main_contact=account).pk}/"
    page.goto(live_server.url + "/connexion/")
    page.get_by_label("Utilisateur :").fill(account.login)
    page.get_by_label("Mot de passe :").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(fiche)
    return account, fiche


def test_the_warning_is_keyboard_operable_and_extends_the_session(page, live_server, settings):
    account, fiche = _on_the_fiche_with_a_short_session(page, live_server, settings)
    loaded = time.monotonic()
    role = page.get_by_label("Fonction")
    role.focus()
    page.keyboard.type("Gérante")

    dialog = page.get_by_role("alertdialog", name="Votre session va expirer")
    expect(dialog).to_be_visible(timeout=15_000)
    extend = dialog.get_by_role("button", name="Prolonger ma session")
    expect(extend).to_be_focused()
    expect(dialog).to_contain_text(re.compile(r"expire dans \d+ s"))
    assert_accessible(page)
    page.keyboard.press("Tab")  # the focus stays in the dialog
    assert page.evaluate("document.activeElement.closest('#session-expiry') !== null")
    page.keyboard.press("Shift+Tab")
    expect(extend).to_be_focused()

    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(role).to_be_focused()
    expect(role).to_have_value("Gérante")
    expect(page.locator("#session-expiry-status")).to_have_text("Votre session est prolongée.")
    assert (
        AuditEvent.objects.filter(action="account.session_extended", account=account).count() == 1
    )
    # Past the first deadline: the session is still open.
    page.wait_for_timeout(max(0, (IDLE + 2 - (time.monotonic() - loaded)) * 1000))
    page.goto(fiche)
    assert not re.search("/connexion/", page.url)
    expect(page.get_by_role("heading", name="Fiche établissement", level=1)).to_be_visible()
    # The last activity was the extension, about 21 s ago (the pages in between do not rewrite
    # it within a minute): this page loads with less than the warning's 20 s left and warns
    # at once, before or after the end.
    expect(page.get_by_role("alertdialog", name=re.compile("Votre session"))).to_be_visible()


def test_what_was_typed_when_the_session_ended_is_found_again_after_the_login(
    page, live_server, settings
):
    account, fiche = _on_the_fiche_with_a_short_session(page, live_server, settings)
    role = page.get_by_label("Fonction")
    role.focus()
    page.keyboard.type("Gérante")

    expired = page.get_by_role("alertdialog", name="Votre session a expiré")
    expect(expired).to_be_visible(timeout=40_000)
    expect(expired).to_contain_text("rien n'est perdu")
    page.keyboard.press("Escape")
    expect(expired).to_be_hidden()
    expect(role).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the fiche's form: too late

    assert "/connexion/" in page.url
    expect(page.get_by_text("Ce que vous aviez saisi n'est pas perdu")).to_be_visible()
    page.get_by_label("Utilisateur :").fill(account.login)
    page.get_by_label("Mot de passe :").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == fiche
    expect(page.get_by_label("Fonction")).to_have_value("Gérante")
    expect(page.get_by_text("Nous avons repris ce que vous aviez saisi")).to_be_visible()
