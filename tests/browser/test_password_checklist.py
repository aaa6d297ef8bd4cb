"""The password checklist of the reset page, ticked live in Chromium (the server lists every failing
rule anyway: tests/accounts/test_password_rules_stated.py)."""

import re

import pytest
from playwright.sync_api import expect

from apart.accounts.recovery.services import issue_reset_token
from tests.accounts.factories import make_account
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rule(page, code):
    return page.locator(f'#contraintes li[data-check="{code}"]')


def test_the_checklist_ticks_each_rule_as_the_new_password_is_typed(page, live_server):
    account, _ = make_account(first_name="Ilmen", last_name="Foplus")
    page.goto(f"{live_server.url}/mot-de-passe-oublie/jeton/{issue_reset_token(account=account)}/")

    page.locator("#id_password1").fill("jardinier7!")
    page.locator("#id_password2").fill("jardinier7?")

    expect(_rule(page, "upper")).to_have_class(re.compile("apart-check--unmet"))
    expect(_rule(page, "upper")).to_contain_text("non respectée")
    for code in ("length", "lower", "digits", "special", "accents"):
        expect(_rule(page, code)).to_have_class(re.compile("apart-check--met"))
    expect(_rule(page, "confirmation")).to_have_class(re.compile("apart-check--unmet"))
    assert_accessible(page)

    page.locator("#id_password1").fill("Jardinier7!")
    page.locator("#id_password2").fill("Jardinier7!")

    expect(page.locator("#contraintes li.apart-check--unmet")).to_have_count(0)
    expect(_rule(page, "upper")).to_contain_text("respectée")
