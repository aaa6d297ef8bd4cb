"""The attacker of step 2: 200 probes, half real logins and half unknown ones, classified from the
status, the length of the page, the question shown and the time (tests/hardening/attacker.py).
With questions typed freely at registration, a fixed decoy list gave real questions away (« Quel
est le nom de mon chien ? » was never a decoy): the attacker must now do no better than chance."""

import random
import time

import pytest
from django.test import Client

from apart.accounts.models import Account
from apart.accounts.recovery import decoys
from tests.accounts.factories import make_account
from tests.hardening.attacker import Probe, attacker_accuracy
from tests.recovery.helpers import (
    CAPTCHA_OK,
    PASSWORD_QUESTION,
    PASSWORD_START,
    ask_password_reset,
    captcha_key,
)
from tests.recovery.test_enumeration import question_of

pytestmark = pytest.mark.django_db

# Questions as people type them, with how often (per 100 accounts); four are one person's own.
COMMON = {
    "Quel est le nom de mon chien ?": 30,
    "Ville de naissance de ma mère ?": 20,
    "Nom de mon école primaire ?": 15,
    "Marque de ma première voiture ?": 12,
    "Mon plat préféré ?": 10,
    "Prénom de mon parrain ?": 9,
}
RARE = ["Nom du chat de la voisine à Brest ?", "Mon numéro de casier au lycée Hoche ?"]
PROBES = 200


def _spelling(question: str, rng: random.Random) -> str:
    """How one person typed it: case, the question mark, spaces vary."""
    variants = [question, question.lower(), question.rstrip(" ?"), "  " + question.upper()]
    return rng.choice(variants)


def _accounts(count: int, rng: random.Random) -> list[Account]:
    template, _ = make_account(first_name="Modele", last_name="Compte")
    questions = [q for q, n in COMMON.items() for _ in range(n)]
    questions = (questions * (count // len(questions) + 1))[: count - len(RARE)] + RARE
    rng.shuffle(questions)
    Account.objects.bulk_create(
        Account(
            login=f"prenom.nom{n}",
            first_name="Prénom",
            last_name=f"Nom{n}",
            email=f"prenom.nom{n}@exemple.fr",
            secret_question=_spelling(question, rng),
            secret_answer_hash=template.secret_answer_hash,
            password=template.password,
        )
        for n, question in enumerate(questions)
    )
    return list(Account.objects.filter(login__startswith="prenom.nom"))


def _probe(login: str, *, existing: bool) -> Probe:
    """Step 1 and the question page, timed together (the wrong answer's timing, one Argon2 hash
    on both paths, has its own test in test_enumeration.py)."""
    client = Client()
    form = client.get(PASSWORD_START)
    started = time.perf_counter()
    client.post(
        PASSWORD_START, {"login": login, "captcha_0": captcha_key(form), "captcha_1": CAPTCHA_OK}
    )
    page = client.get(PASSWORD_QUESTION)
    seconds = time.perf_counter() - started
    return Probe(
        existing=existing,
        status=page.status_code,
        length=len(page.content),
        question=question_of(page),
        seconds=seconds,
    )


@pytest.fixture
def unlimited(settings):
    settings.APART_RECOVERY_IP_MAX_POSTS = 100_000
    settings.APART_RECOVERY_MAX_EMAILS_PER_HOUR = 100_000


def test_the_attacker_does_no_better_than_chance_at_step_2(unlimited, capsys):
    rng = random.Random(15)
    accounts = _accounts(PROBES // 2, rng)
    unknown = [f"prenom.nom{n}" for n in range(1000, 1000 + PROBES // 2)]
    probes = []
    for known, missing in zip(accounts, unknown, strict=True):  # interleaved: same load on both
        probes.append(_probe(known.login, existing=True))
        probes.append(_probe(missing, existing=False))

    accuracy, per_rule = attacker_accuracy(probes)

    with capsys.disabled():
        rules = ", ".join(f"{name} {value:.0%}" for name, value in per_rule.items())
        print(f"\nrecovery step 2 attacker, {len(probes)} probes: {accuracy:.0%} ({rules})")
    assert accuracy <= 0.60


def test_a_question_in_common_use_is_also_a_decoy():
    rng = random.Random(1)
    _accounts(40, rng)

    drawn = {decoys.decoy_question(f"inconnu{n}") for n in range(200)}

    assert "Quel est le nom de mon chien ?" in drawn
    assert drawn <= {entry.display for entry in decoys.question_pool()}


def test_a_question_of_one_person_is_never_a_decoy():
    rng = random.Random(2)
    _accounts(40, rng)

    drawn = {decoys.decoy_question(f"inconnu{n}") for n in range(300)}

    assert not drawn & set(RARE)


def test_decoys_follow_the_frequency_of_the_questions_in_use():
    rng = random.Random(3)
    _accounts(100, rng)

    draws = [decoys.decoy_question(f"inconnu{n}") for n in range(600)]

    dog = draws.count("Quel est le nom de mon chien ?") / len(draws)
    godfather = draws.count("Prénom de mon parrain ?") / len(draws)
    assert 0.2 < dog < 0.4  # 30 % of the accounts
    assert 0.03 < godfather < 0.16  # 9 %


def test_a_real_question_is_shown_in_the_spelling_its_decoys_have(client, unlimited):
    rng = random.Random(4)
    accounts = _accounts(40, rng)
    shouted = next(a for a in accounts if a.secret_question.startswith("  QUEL EST"))

    ask_password_reset(client, shouted.login)

    assert question_of(client.get(PASSWORD_QUESTION)) == "Quel est le nom de mon chien ?"
