import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_french_uses_local_dsfr_and_is_accessible(page, live_server):
    outside_requests: list[str] = []
    page.on(
        "request",
        lambda req: (
            None if req.url.startswith(live_server.url) else outside_requests.append(req.url)
        ),
    )

    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name=re.compile("CRÉER MON ESPACE")).is_visible()
    assert page.get_by_role("heading", name="MON ESPACE PERSONNEL").is_visible()
    # The local DSFR stylesheet is applied: the "République Française" block is set in capitals.
    assert page.locator("header .fr-logo").inner_text().startswith("RÉPUBLIQUE")
    assert outside_requests == []
    assert_accessible(page)


def test_home_page_keyboard_reaches_create_space(page, live_server):
    page.goto(live_server.url + "/")
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.textContent.trim()")
        if "CRÉER MON ESPACE" in focused:
            break
    else:
        pytest.fail("CRÉER MON ESPACE is not reachable with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/creer-mon-espace/"))


def test_the_header_menu_is_valid_before_dsfr_javascript_has_run(page, live_server):
    """axe may run before DSFR's script has set up the header (a loaded machine, a slow
    network, a script that fails): the menu's markup must be valid by itself at desktop width,
    where it is shown as a plain navigation bar, not a dialog."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.route(
        "**/*",
        lambda route: (
            route.abort() if route.request.resource_type == "script" else route.continue_()
        ),
    )

    page.goto(live_server.url + "/")

    assert page.locator("#menu-principal").get_attribute("role") is None  # DSFR's JS did not run
    assert_accessible(page)


def test_the_opened_header_menu_is_a_dialog_named_by_its_button(page, live_server):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="Menu").click()

    expect(page.get_by_role("dialog", name="Menu")).to_be_visible()
    assert_accessible(page)
