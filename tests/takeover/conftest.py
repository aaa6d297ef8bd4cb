"""A victim logged in through the real login page, and an attacker holding a copy of the victim's
session cookie (nothing else: no password)."""

from dataclasses import dataclass
from typing import Any

import pytest

from apart.accounts.models import Account
from apart.establishments.models import Establishment
from tests.conftest import CsrfClient
from tests.space.factories import (
    complete_fiche,
    habilitate,
    log_in,
    make_employer,
    make_establishment,
)

VICTIM_EMAIL = "ilmen.foplus@clean-desk.fr"


@dataclass
class Scene:
    victim: Account
    establishment: Establishment
    victim_browser: Any
    attacker: Any
    colleague: Account


def steal_cookie(browser: Any) -> CsrfClient:
    attacker = CsrfClient()
    attacker.cookies["sessionid"] = browser.cookies["sessionid"].value
    return attacker


@pytest.fixture
def scene(db) -> Scene:
    victim = make_employer(first_name="Ilmen", last_name="Foplus", email=VICTIM_EMAIL)
    establishment = make_establishment(main_contact=victim)
    complete_fiche(establishment)
    habilitate(victim, establishment)
    colleague = make_employer(first_name="Jean", last_name="Martig", email="jean@clean-desk.fr")
    habilitate(colleague, establishment)
    browser = CsrfClient()
    log_in(browser, victim)
    return Scene(
        victim=victim,
        establishment=establishment,
        victim_browser=browser,
        attacker=steal_cookie(browser),
        colleague=colleague,
    )
