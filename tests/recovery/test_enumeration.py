"""No enumeration: a login or an email that matches no account goes through the same journey
(same pages, messages, status codes and timing), only the secret question differs (a stable
decoy), and nothing is ever sent."""

import re
import statistics
import time

import pytest
from django.test import Client

from apart.accounts.recovery.decoys import DECOY_QUESTIONS
from tests.accounts.factories import make_active_account
from tests.recovery.helpers import (
    ANSWER,
    LOGIN_QUESTION,
    PASSWORD_QUESTION,
    QUESTION,
    answer,
    ask_login,
    ask_password_reset,
    captcha_key,
    html,
)

pytestmark = pytest.mark.django_db

UNKNOWN_LOGIN = "gerard.menuca7"
UNKNOWN_EMAIL = "gerard.menuca@exemple.com"

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
_NONCE = re.compile(r'nonce="[^"]*"')
_OPERATION = re.compile(r'<p class="fr-mb-1w" id="id_captcha_question">.*?</p>', re.S)
_QUESTION = re.compile(r'<p id="question-secrete"[^>]*>.*?</p>', re.S)


def comparable(response) -> str:
    """The page without what changes on every display: CSRF token, CSP nonce, captcha key and
    operation, and the secret question."""
    page = html(response)
    if 'name="captcha_0"' in page:
        page = page.replace(captcha_key(response), "CAPTCHA-KEY")
    page = _CSRF.sub('name="csrfmiddlewaretoken" value=""', page)
    page = _NONCE.sub('nonce=""', page)
    page = _OPERATION.sub("OPERATION", page)
    return _QUESTION.sub("QUESTION", page)


def question_of(response) -> str:
    match = _QUESTION.search(html(response))
    assert match is not None
    return re.sub(r"<[^>]+>", "", match.group(0)).strip()


JOURNEYS = [
    pytest.param(ask_password_reset, PASSWORD_QUESTION, "login", UNKNOWN_LOGIN, id="password"),
    pytest.param(ask_login, LOGIN_QUESTION, "email", UNKNOWN_EMAIL, id="login"),
]


def _known(account, field):
    return account.login if field == "login" else account.email


@pytest.mark.parametrize(("start", "question_url", "field", "unknown"), JOURNEYS)
def test_known_and_unknown_values_get_the_same_pages(
    account, smtp_server, deliver_outbox, start, question_url, field, unknown
):
    known_client, unknown_client = Client(), Client()
    pages = {}
    for name, client, typed in (
        ("known", known_client, _known(account, field)),
        ("unknown", unknown_client, unknown),
    ):
        first = start(client, typed)
        question = client.get(question_url)
        wrong = [answer(client, question_url, "Neuf cents") for _ in range(3)]
        locked_again = client.get(question_url)
        pages[name] = [
            (first.status_code, first.headers.get("Location")),
            (question.status_code, comparable(question)),
            *[(page.status_code, comparable(page)) for page in wrong],
            (locked_again.status_code, comparable(locked_again)),
        ]

    assert pages["known"] == pages["unknown"]
    assert "Il vous reste 2 essais" in pages["unknown"][2][1]
    assert "la récupération est bloquée pendant 30 minutes" in pages["unknown"][4][1]
    deliver_outbox()
    # The real holder is warned of the lock; the unknown value causes no email at all.
    assert [m["To"] for m in smtp_server.messages] == [account.email]


@pytest.mark.parametrize(("start", "question_url", "field", "unknown"), JOURNEYS)
def test_only_the_question_differs(account, start, question_url, field, unknown):
    known_client, unknown_client = Client(), Client()
    start(known_client, _known(account, field))
    start(unknown_client, unknown)

    known_page = known_client.get(question_url)
    unknown_page = unknown_client.get(question_url)

    assert question_of(known_page) == QUESTION
    assert question_of(unknown_page) in DECOY_QUESTIONS
    assert comparable(known_page) == comparable(unknown_page)


def test_the_decoy_question_is_stable_for_a_typed_value(client):
    ask_password_reset(client, UNKNOWN_LOGIN)
    first = question_of(client.get(PASSWORD_QUESTION))
    ask_password_reset(Client(), UNKNOWN_LOGIN)

    again = Client()
    ask_password_reset(again, " Gerard.Menuca7 ")

    assert question_of(again.get(PASSWORD_QUESTION)) == first


def test_decoys_vary_with_the_typed_value():
    from apart.accounts.recovery.decoys import decoy_question

    questions = {decoy_question(f"prenom.nom{n}") for n in range(60)}

    assert len(questions) > len(DECOY_QUESTIONS) // 2


def test_a_known_account_without_secret_question_gets_a_decoy_and_no_email(
    client, smtp_server, deliver_outbox
):
    account = make_active_account(first_name="Sans", last_name="Question", secret_answer="")
    account.secret_question = ""
    account.save()
    ask_password_reset(client, account.login)

    assert question_of(client.get(PASSWORD_QUESTION)) in DECOY_QUESTIONS
    answer(client, PASSWORD_QUESTION, "")
    answer(client, PASSWORD_QUESTION, "n'importe quoi")
    deliver_outbox()
    assert smtp_server.messages == []


def test_an_unknown_value_never_sends_anything_even_with_any_answer(
    client, smtp_server, deliver_outbox
):
    ask_login(client, UNKNOWN_EMAIL)
    decoy = question_of(client.get(LOGIN_QUESTION))

    for guess in (ANSWER, decoy):
        answer(client, LOGIN_QUESTION, guess)
    deliver_outbox()

    assert smtp_server.messages == []


def test_the_step_state_is_not_in_the_page(client, account):
    ask_password_reset(client, account.login)

    page = html(client.get(PASSWORD_QUESTION))

    assert account.login not in page
    assert str(account.pk) not in re.findall(r'type="hidden"[^>]*', page)


# --- Timing ------------------------------------------------------------------------------------

RUNS = 15


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def test_timing_does_not_tell_known_from_unknown(account, settings, capsys):
    """Real Argon2 hasher: the wrong answer of a known account and of an unknown value cost the
    same (the unknown value's answer is hashed too). Medians over 15 interleaved runs; the bound
    is loose on purpose (0.5-2.0) so that a busy machine cannot make it flake: a leak would be a
    ratio of 10 or more (hash vs no hash)."""
    settings.APART_RECOVERY_MAX_ANSWER_FAILURES = 10_000
    settings.APART_RECOVERY_IP_MAX_POSTS = 10_000
    settings.APART_RECOVERY_MAX_EMAILS_PER_HOUR = 10_000
    clients = {"known": Client(), "unknown": Client()}
    typed = {"known": account.login, "unknown": UNKNOWN_LOGIN}
    step1: dict[str, list[float]] = {"known": [], "unknown": []}
    step2: dict[str, list[float]] = {"known": [], "unknown": []}
    for _ in range(RUNS):
        for name, client in clients.items():
            page = client.get("/mot-de-passe-oublie/")
            data = {"login": typed[name], "captcha_0": captcha_key(page)}
            data["captcha_1"] = "PASSED-TEST"
            started = time.perf_counter()
            client.post("/mot-de-passe-oublie/", data)
            step1[name].append(time.perf_counter() - started)
            client.get(PASSWORD_QUESTION)
            started = time.perf_counter()
            response = client.post(PASSWORD_QUESTION, {"answer": "Neuf cents"})
            step2[name].append(time.perf_counter() - started)
            assert "La réponse secrète est incorrecte" in html(response)

    ratios = {
        "step 1": _median_ms(step1["known"]) / _median_ms(step1["unknown"]),
        "step 2": _median_ms(step2["known"]) / _median_ms(step2["unknown"]),
    }
    with capsys.disabled():
        print(
            f"\nrecovery timing, median of {RUNS} (ms): "
            f"step 1 known {_median_ms(step1['known']):.1f} / unknown "
            f"{_median_ms(step1['unknown']):.1f}; step 2 known {_median_ms(step2['known']):.1f} "
            f"/ unknown {_median_ms(step2['unknown']):.1f}; ratios {ratios}"
        )
    for ratio in ratios.values():
        assert 0.5 < ratio < 2.0
