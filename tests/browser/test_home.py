import re

import pytest

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
