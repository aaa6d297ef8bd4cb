"""Every page of the site map (public, employer, agent) at 320, 768, 1024, 1280 and 1440 px:
no sideways scroll (WCAG 1.4.10), the bloc-marque « République française » never cut, the
header's tools in the DSFR menu on narrow screens, no text clipped, the login and the
establishment's name in the header and menu never split inside a word, and axe-core at each width;
once per page, the RGAA criteria read from the document (language, title, headings, new
windows, visible focus: ``_check_page_rules``), backing docs/accessibility.md.

One browser page per audience: each page of the site is loaded once, then resized (the layout
is recomputed, CSS media queries included), so the whole map stays quick.

``APART_LAYOUT_SCREENSHOTS=<folder>`` also saves a screenshot of every page at every width.
"""

import os
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine

from apart.accounts.models import Account
from apart.dap.models import AuthorisationRequest
from apart.establishments.models import Establishment
from apart.notifications.services import queue_email
from tests.accounts.factories import STRONG_PASSWORD
from tests.browser.axe import violations
from tests.browser.second_factor import pass_second_step
from tests.browser.sitemap import AGENT, EMPLOYER, PUBLIC, Page, site_map
from tests.claims.factories import APRIL, submitted_claim
from tests.dap.factories import make_draft, make_submitted
from tests.habilitations.factories import make_agent, make_habilitation
from tests.registration.factories import make_sirene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 768, 1024, 1280, 1440)
HEIGHT = 900
# DSFR's "lg" breakpoint: below it the header's tools live in the menu ("Menu" button).
DSFR_LG = 992
SCREENSHOTS = os.environ.get("APART_LAYOUT_SCREENSHOTS")
TOKEN = "jeton-de-demonstration"  # token routes show their "lien invalide" page

MEASURE = (Path(__file__).parent / "layout_measure.js").read_text()
PAGE_RULES = (Path(__file__).parent / "page_rules.js").read_text()
FOCUS_RING = (Path(__file__).parent / "focus_ring.js").read_text()
LANGUAGES = {"fr", "en"}
FOCUS_STEPS = 12  # Tab presses per page: the skip links, the header, the start of the content


def _check_page_rules(page: Any, label: str, titles: dict[str, tuple[str, str]]) -> list[str]:
    """RGAA criteria checked once per page, in the window's first size: the page's language is
    French and every language code valid (8.3, 8.4, 8.8), a title of its own (8.5, 8.6: two
    pages of the audience's site map with different h1 never share a title), headings from one
    h1 without a skipped level (9.1), a link opening a new window says so (13.2), and every
    element the keyboard reaches shows its focus (10.7)."""
    found = page.evaluate(PAGE_RULES)
    problems = []
    if found["lang"] != "fr":
        problems.append(f"{label}: <html lang={found['lang']!r}>, French expected")
    problems += [
        f"{label}: invalid lang={code!r}" for code in found["langs"] if code not in LANGUAGES
    ]
    title, h1 = found["title"], found["h1"]
    if not title:
        problems.append(f"{label}: no title")
    elif title in titles and titles[title][1] != h1:  # one page reached by two routes is fine
        problems.append(f"{label}: same title as {titles[title][0]}: {title!r}")
    else:
        titles[title] = (label, h1)
    levels = [heading["level"] for heading in found["headings"]]
    if levels.count(1) != 1:
        problems.append(f"{label}: {levels.count(1)} h1 headings, one expected")
    for before, heading in zip(found["headings"], found["headings"][1:], strict=False):
        if heading["level"] > before["level"] + 1:
            problems.append(
                f"{label}: h{heading['level']} « {heading['text']} » follows "
                f"h{before['level']} « {before['text']} »"
            )
    problems += [
        f"{label}: link « {text} » opens a new window unsaid" for text in found["newWindows"]
    ]
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(FOCUS_STEPS):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is not None and not ring["visible"]:
            problems.append(f"{label}: no visible focus on « {ring['label']} »")
    return problems


def _check_widths(page: Any, label: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.wait_for_timeout(50)  # let DSFR's resize listeners run
        measure = page.evaluate(MEASURE)
        where = f"{label} at {width} px"
        if measure["documentWidth"] > measure["windowWidth"]:
            problems.append(
                f"{where}: document {measure['documentWidth']} px wide in a "
                f"{measure['windowWidth']} px window"
            )
        if measure["logoCut"]:
            problems.append(f"{where}: the bloc-marque « République française » is cut")
        narrow = width < DSFR_LG
        if narrow and (measure["toolsShown"] or not measure["menuButton"]):
            problems.append(f"{where}: the header's tools are not in the Menu")
        if not narrow and not measure["toolsShown"]:
            problems.append(f"{where}: the header's tools are hidden")
        problems += [f"{where}: text clipped in {item}" for item in measure["clipped"]]
        problems += [f"{where}: name split inside a word: {item}" for item in measure["splitNames"]]
        problems += [f"{where}: axe {item}" for item in violations(page)]
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    return problems


def _walk_site_map(page: Any, base: str, pages: list[Page], values: dict) -> list[str]:
    """Load each page once and check it at every width; the list of every problem found."""
    problems: list[str] = []
    seen: set[str] = set()
    titles: dict[str, tuple[str, str]] = {}
    for entry in pages:
        try:
            path = entry.path(values)
        except KeyError as missing:
            # A route without a value may still be an action (POST only): try it with a dummy.
            path, missing_value = re.sub(r"<[^>]+>", "0", entry.route), str(missing)
        else:
            missing_value = ""
        # Probed first with the context's cookies: an action answers 405 without a body.
        response = page.request.get(base + path)
        if response.status == 405:  # an action (POST only), not a page
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            problems.append(f"{entry.name}: not an HTML page, add it to sitemap.NOT_PAGES")
            continue
        if missing_value:
            problems.append(missing_value)
            continue
        invalid_link = response.status in (400, 404) and TOKEN in path  # the "lien invalide" page
        if response.status != 200 and not invalid_link:
            problems.append(f"{entry.name} ({path}): status {response.status}")
            continue
        landed = response.url.removeprefix(base).split("?")[0]
        if landed in seen:  # a redirection to a page already checked
            continue
        seen.add(landed)
        page.goto(base + path)
        problems += _check_page_rules(page, f"{entry.name} ({landed})", titles)
        problems += _check_widths(page, f"{entry.name} ({landed})")
    return problems


def _log_in(page: Any, base: str, login: str) -> None:
    page.goto(base + "/connexion/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(STRONG_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def test_every_public_page_fits_every_width(page, live_server, settings):
    settings.APART_DEMO_MAILBOX = True  # development pages, public too
    settings.APART_PROCONNECT_ISSUER = "https://proconnect.example.test"  # its button and pages
    email = queue_email(
        to="gerard.menuca@example.fr", template="notifications/emails/check", context={}
    )
    sirene = make_sirene(denomination="CLEAN DESK")
    # Step 2 needs a SIRET validated at step 1 in this browser session.
    page.goto(live_server.url + "/creer-mon-espace/")
    page.locator("#id_siret").fill(sirene.siret)
    page.locator("#id_captcha_1").fill("PASSED-TEST")
    page.locator("label[for=id_accept_terms]").click()
    with page.expect_navigation():
        page.locator("form").get_by_role("button", name="VALIDER").click()
    values = {
        "establishments:invitation": {"token": TOKEN},
        "establishments:invitation_register": {"token": TOKEN},
        "accounts:password_reset_link": {"token": TOKEN},
        "accounts:not_me": {"token": TOKEN},
        "proconnect:confirm_link": {"token": TOKEN},
        "mfa:remove": {"kind": "totp", "pk": 0},  # an action: logged out, sent to the login
        "registration:claim": {"token": TOKEN},
        "notifications:demo_email": {"pk": email.pk},
    }
    pages = site_map(PUBLIC)
    # Step 2 first, while the SIRET of step 1 is in the session.
    pages.sort(key=lambda entry: entry.name != "registration:details")

    problems = _walk_site_map(page, live_server.url, pages, values)

    assert not problems, "\n".join(problems)


def _long_names(account: Account, establishment: Establishment) -> None:
    """Names as long as real ones get: the header and the menu must still fit."""
    account.login = "jean-christophe.martig-delacroix12"
    account.save(update_fields=["login"])
    establishment.denomination = "SOCIETE NOUVELLE DES ETABLISSEMENTS CLEAN DESK ET ASSOCIES"
    establishment.save(update_fields=["denomination"])


def test_every_employer_page_fits_every_width(page, live_server, settings):
    settings.APART_DEMO_MAILBOX = True  # one more header tool, as in development
    with time_machine.travel(APRIL):
        account, claim = submitted_claim()
    establishment = claim.decision.request.establishment
    _long_names(account, establishment)
    draft = make_draft(account, establishment, commitments="Maintien dans l'emploi.")
    values = {
        "establishments:fiche": {"pk": establishment.pk},
        "establishments:colleagues": {"pk": establishment.pk},
        "dap:detail": {"pk": draft.pk},
        "dap:update": {"pk": draft.pk},
        "claims:detail": {"pk": claim.pk},
        "dap:decision_page": {"pk": claim.decision.pk},
        "space:email_confirm": {"token": TOKEN},
    }
    _log_in(page, live_server.url, account.login)

    problems = _walk_site_map(page, live_server.url, site_map(EMPLOYER), values)

    assert not problems, "\n".join(problems)


def test_every_agent_page_fits_every_width(page, live_server, settings):
    settings.APART_DEMO_MAILBOX = True
    with time_machine.travel(APRIL):
        account, claim = submitted_claim()
    establishment = claim.decision.request.establishment
    submitted = make_submitted(account, establishment, commitments="Maintien dans l'emploi.")
    pending = make_habilitation()
    make_agent(Account.Role.ADMINISTRATOR, login="agnes.admin", password=STRONG_PASSWORD)
    values = {
        "backoffice:request": {"pk": pending.pk},
        "backoffice:account": {"pk": account.pk},
        "dap_gestion:detail": {"pk": submitted.pk},
        "claims_gestion:detail": {"pk": claim.pk},
        "dap_gestion:decision_page": {"pk": claim.decision.pk},
    }
    assert AuthorisationRequest.objects.filter(pk=submitted.pk).exists()
    _log_in(page, live_server.url, "agnes.admin")
    pass_second_step(page, Account.objects.get(login="agnes.admin"))  # agents' second factor

    problems = _walk_site_map(page, live_server.url, site_map(AGENT), values)

    assert not problems, "\n".join(problems)
